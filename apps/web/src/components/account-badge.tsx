import { useQuery } from '@tanstack/react-query';
import { accountCheckQuery } from '../api/account';

/** Account, region and role in the header: which AWS this page is about. */
export function AccountBadge() {
  const check = useQuery(accountCheckQuery()).data;
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
  const check = useQuery(accountCheckQuery()).data;
  if (check?.status !== 'mismatch') return null;
  return (
    <div className="wrong-account" role="alert" data-testid="wrong-account-banner">
      Wrong AWS account: found {check.account}, expected {check.expectedAccount}. {check.message}
    </div>
  );
}
