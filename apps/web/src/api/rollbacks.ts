import { useMutation, useQuery } from '@tanstack/react-query';
import type { RollbackJob, RollbackKind, RollbackPlan, RollbacksOverview } from '@flightdeck/contracts';
import { getJson, sendChange } from './client';
import { useSession } from './session';

export function useRollbacksOverview() {
  return useQuery({
    queryKey: ['rollbacks'],
    queryFn: () => getJson<RollbacksOverview>('/api/v1/rollbacks'),
    refetchInterval: 5_000,
  });
}

/** Follows a job every second until it succeeds or fails. */
export function useRollbackJob(id: string | null) {
  return useQuery({
    queryKey: ['rollback', id],
    queryFn: () => getJson<RollbackJob>(`/api/v1/rollbacks/${encodeURIComponent(id!)}`),
    enabled: id !== null,
    refetchInterval: (query) => {
      const job = query.state.data;
      if (!job || job.state === 'pending' || job.state === 'running') return 1_000;
      // Finished: only the error rate is still being observed, a minute at a time.
      return job.verification.some((v) => v.pending) ? 10_000 : false;
    },
  });
}

export interface RollbackTargetRef {
  deployId: string;
  kind: RollbackKind;
  target: string;
}

export function useRollbackActions() {
  const csrfToken = useSession().data?.csrfToken ?? '';
  return {
    preview: useMutation({
      mutationFn: (ref: RollbackTargetRef) =>
        sendChange<RollbackPlan>('POST', '/api/v1/rollbacks/preview', csrfToken, ref),
    }),
    start: useMutation({
      mutationFn: (request: RollbackTargetRef & { confirmation: string; expectedRevisionId?: string }) =>
        sendChange<RollbackJob>('POST', '/api/v1/rollbacks', csrfToken, request),
    }),
  };
}
