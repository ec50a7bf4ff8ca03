import { queryOptions } from '@tanstack/react-query';
import type { MigrationHistory } from '@flightdeck/contracts';
import { getJson } from './client';

export const migrationKeys = {
  history: ['migrations'] as const,
};

/**
 * The Migration History. The server answers from its collector, so asking as often as it
 * refreshes costs no database reads; the previous answer stays on screen meanwhile.
 */
export const migrationHistoryQuery = () =>
  queryOptions({
    queryKey: migrationKeys.history,
    queryFn: () => getJson<MigrationHistory>('/api/v1/migrations'),
    refetchInterval: (query) => Math.max(1_000, query.state.data?.history.intervalMs ?? 10_000),
  });
