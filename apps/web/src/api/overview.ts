import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Overview } from '@flightdeck/contracts';
import { parse } from './client';

export const overviewKeys = {
  current: ['overview'] as const,
};

/** The change the last fetched overview is at: the live stream starts after it instead of resending it. */
let overviewChangeId: string | null = null;
export const lastOverviewChangeId = () => overviewChangeId;

async function getOverview(): Promise<Overview> {
  const response = await fetch('/api/v1/overview', { headers: { accept: 'application/json' } });
  const overview = await parse<Overview>(response);
  overviewChangeId = response.headers.get('x-flightdeck-change-id');
  return overview;
}

/** Every source at a glance. Live updates keep it current; a refetch happens only on mount or reconnect. */
export const overviewQuery = () =>
  queryOptions({ queryKey: overviewKeys.current, queryFn: getOverview, staleTime: Infinity });

/** Read by the shell and several pages, so it gets a hook of its own. */
export const useOverview = () => useQuery(overviewQuery());
