import { useQuery } from '@tanstack/react-query';
import type { LogsOverview } from '@flightdeck/contracts';
import { getJson } from './client';

export const logsOverviewKey = ['logs-overview'] as const;

/** The tailable log groups and how the open tails share the call budget. */
export function useLogsOverview() {
  return useQuery({
    queryKey: logsOverviewKey,
    queryFn: () => getJson<LogsOverview>('/api/v1/logs'),
    refetchInterval: 10_000,
  });
}
