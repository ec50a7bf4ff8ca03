import { queryOptions } from '@tanstack/react-query';
import type { ReplicaInfo } from '@flightdeck/contracts';
import { getJson } from './client';

export const replicaKeys = {
  info: ['replica'] as const,
};

/** Re-read now and then: leadership moves only when a replica dies or loses its store connection. */
export const replicaInfoQuery = () =>
  queryOptions({
    queryKey: replicaKeys.info,
    queryFn: () => getJson<ReplicaInfo>('/api/v1/replica'),
    refetchInterval: 15_000,
  });
