import type { AccountCheck } from '@flightdeck/contracts';
import { useQuery } from '@tanstack/react-query';
import { getJson } from '../api/client';

/** Re-read as often as the BFF may re-check; the BFF calls STS, the SPA only its cached answer. */
function useAccountCheck() {
  return useQuery({
    queryKey: ['account'],
    queryFn: () => getJson<AccountCheck>('/api/v1/account'),
    refetchInterval: 60_000,
  });
}

/** Account, region and role in the header: which AWS this page is about. */
export function AccountBadge() {
  const check = useAccountCheck().data;
  if (!check) return null;
  return (
    <span className="account" data-testid="account" title={check.arn ?? undefined}>
      <span data-testid="account-id">{check.account ?? 'account unknown'}</span> · {check.region}
      {check.role && <> · {check.role}</>}
    </span>
  );
}

/** A red banner across every page when the credentials reach another account than config expects. */
export function WrongAccountBanner() {
  const check = useAccountCheck().data;
  if (check?.status !== 'mismatch') return null;
  return (
    <div className="wrong-account" role="alert" data-testid="wrong-account-banner">
      Wrong AWS account: found {check.account}, expected {check.expectedAccount}. {check.message}
    </div>
  );
}
