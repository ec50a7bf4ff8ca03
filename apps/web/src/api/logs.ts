import { queryOptions } from '@tanstack/react-query';
import type { LogsOverview } from '@flightdeck/contracts';
import { getJson } from './client';

export const logsKeys = {
  overview: ['logs-overview'] as const,
};

/** The tailable log groups and how the open tails share the call budget. */
export const logsOverviewQuery = () =>
  queryOptions({
    queryKey: logsKeys.overview,
    queryFn: () => getJson<LogsOverview>('/api/v1/logs'),
    refetchInterval: 10_000,
  });
