import { queryOptions } from '@tanstack/react-query';
import type { DatabaseLocks, DeployLocks } from '@flightdeck/contracts';
import { getJson } from './client';

export const lockKeys = {
  current: ['database-locks'] as const,
  measured: (deployId: string) => ['deploys', deployId, 'locks'] as const,
};

/**
 * Who holds and who waits for locks on the target database. The SSE stream's `locks` frames keep
 * it current while a deploy is ready or migrating; this refetch only covers a quiet stream.
 */
export const databaseLocksQuery = () =>
  queryOptions({
    queryKey: lockKeys.current,
    queryFn: () => getJson<DatabaseLocks>('/api/v1/database/locks'),
    refetchInterval: 15_000,
  });

/** What a deploy's migration held, measured; null until the migration was seen and is over. */
export const measuredLocksQuery = (deployId: string) =>
  queryOptions({
    queryKey: lockKeys.measured(deployId),
    queryFn: async () =>
      (await getJson<DeployLocks>(`/api/v1/deploys/${encodeURIComponent(deployId)}/locks`)).measurement,
    refetchInterval: (query) => (query.state.data ? false : 5_000),
  });
