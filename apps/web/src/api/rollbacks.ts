import { queryOptions, skipToken, useMutation, useQueryClient } from '@tanstack/react-query';
import type { RollbackJob, RollbackKind, RollbackPlan, RollbacksOverview } from '@flightdeck/contracts';
import { declareChange } from './change';
import { getJson } from './client';
import { deployKeys } from './deploys';

export const rollbackKeys = {
  all: ['rollbacks'] as const,
  overview: () => [...rollbackKeys.all, 'overview'] as const,
  job: (id: string) => [...rollbackKeys.all, 'job', id] as const,
};

/** The deploy's baseline targets and the recent jobs. */
export const rollbacksOverviewQuery = () =>
  queryOptions({
    queryKey: rollbackKeys.overview(),
    queryFn: () => getJson<RollbacksOverview>('/api/v1/rollbacks'),
    refetchInterval: 5_000,
  });

/** Follows a job every second until it succeeds or fails. */
export const rollbackJobQuery = (id: string | null) =>
  queryOptions({
    queryKey: rollbackKeys.job(id ?? ''),
    queryFn:
      id === null ? skipToken : () => getJson<RollbackJob>(`/api/v1/rollbacks/${encodeURIComponent(id)}`),
    refetchInterval: (query) => {
      const job = query.state.data;
      if (!job || job.state === 'pending' || job.state === 'running') return 1_000;
      // Restored: waits for ops to mark the cut-over (maybe from another browser).
      if (job.state === 'cut-over-pending') return 5_000;
      // Verifying: the verdict comes with the first whole minute of traffic after the change.
      if (job.state === 'verifying') return 2_000;
      // Finished: only the error rate is still being observed, a minute at a time.
      return job.verification.some((v) => v.pending) ? 10_000 : false;
    },
  });

export interface RollbackTargetRef {
  deployId: string;
  kind: RollbackKind;
  target: string;
  /** Lambda: the published version to go back to; absent, the newest one older than the live one. */
  version?: string;
}

export interface RollbackRequest extends RollbackTargetRef {
  confirmation: string;
  expectedRevisionId?: string;
  expectedVersion?: string;
  jobId?: string;
}

/** The exact plan for one target, read from its current state; it changes nothing, so nothing goes stale. */
export const previewRollback = declareChange<RollbackPlan, RollbackTargetRef>({
  method: 'POST',
  path: () => '/api/v1/rollbacks/preview',
  body: (ref) => ref,
  invalidates: () => [],
});

/** Starts the job: the overview lists it, and the deploy (its phase, its timeline) records it. */
export const startRollback = declareChange<RollbackJob, RollbackRequest>({
  method: 'POST',
  path: () => '/api/v1/rollbacks',
  body: (request) => request,
  invalidates: (_job, request) => [
    rollbackKeys.overview(),
    deployKeys.detail(request.deployId),
    deployKeys.list(),
  ],
});

/** RDS: the application now uses the restored instance; the job succeeds. */
export const markCutOver = declareChange<RollbackJob, string>({
  method: 'POST',
  path: (id) => `/api/v1/rollbacks/${encodeURIComponent(id)}/cut-over`,
  body: () => ({}),
  showAnswer: (queryClient, job) => queryClient.setQueryData(rollbackKeys.job(job.id), job),
  invalidates: (job) => [rollbackKeys.overview(), rollbackKeys.job(job.id), deployKeys.detail(job.deployId)],
});

export function useMarkCutOver() {
  return useMutation(markCutOver(useQueryClient()));
}

export function useRollbackActions() {
  const queryClient = useQueryClient();
  return {
    preview: useMutation(previewRollback(queryClient)),
    start: useMutation(startRollback(queryClient)),
  };
}
