import { queryOptions } from '@tanstack/react-query';
import type { AccountCheck } from '@flightdeck/contracts';
import { getJson } from './client';

export const accountKeys = {
  check: ['account'] as const,
};

/** Re-read as often as the BFF may re-check; the BFF calls STS, the SPA only its cached answer. */
export const accountCheckQuery = () =>
  queryOptions({
    queryKey: accountKeys.check,
    queryFn: () => getJson<AccountCheck>('/api/v1/account'),
    refetchInterval: 60_000,
  });
