import { queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type {
  AdvanceClock,
  ApplyMigrations,
  FailInvocations,
  LongTransaction,
  SandboxFault,
  SandboxState,
} from '@flightdeck/contracts';
import { declareChange } from './change';
import { getJson } from './client';

export const sandboxKeys = {
  state: ['sandbox-state'] as const,
};

/** The scenario's clock, pending migrations and injected faults; only a sandbox has one. */
export const sandboxStateQuery = (enabled: boolean) =>
  queryOptions({
    queryKey: sandboxKeys.state,
    queryFn: () => getJson<SandboxState>('/api/v1/sandbox/state'),
    enabled,
    refetchInterval: 5_000,
  });

/**
 * Each change answers with the new scenario state: shown at once rather than after the next poll.
 * Nothing else goes stale in the cache: the panels it moves follow over the live stream.
 */
const scenarioChange = <TInput = void>(change: {
  method: 'POST' | 'DELETE';
  path: (input: TInput) => string;
  body?: (input: TInput) => unknown;
}) =>
  declareChange<SandboxState, TInput>({
    ...change,
    showAnswer: (queryClient: QueryClient, state) => queryClient.setQueryData(sandboxKeys.state, state),
    invalidates: () => [],
  });

export const applyMigrations = scenarioChange<ApplyMigrations | void>({
  method: 'POST',
  path: () => '/api/v1/sandbox/migrations/apply',
  body: (body) => body ?? {},
});

export const injectFault = scenarioChange<SandboxFault>({
  method: 'POST',
  path: () => '/api/v1/sandbox/faults',
  body: (fault) => fault,
});

export const clearFaults = scenarioChange({ method: 'DELETE', path: () => '/api/v1/sandbox/faults' });

export const failInvocations = scenarioChange<FailInvocations & { functionName: string }>({
  method: 'POST',
  path: ({ functionName }) => `/api/v1/sandbox/functions/${encodeURIComponent(functionName)}/errors`,
  body: ({ functionName: _, ...body }) => body,
});

export const advanceClock = scenarioChange<AdvanceClock>({
  method: 'POST',
  path: () => '/api/v1/sandbox/clock/advance',
  body: (body) => body,
});

export const openLongTransaction = scenarioChange<LongTransaction>({
  method: 'POST',
  path: () => '/api/v1/sandbox/db/long-transaction',
  body: (body) => body,
});

export const endLongTransaction = scenarioChange({
  method: 'DELETE',
  path: () => '/api/v1/sandbox/db/long-transaction',
});

/** The scenario's changes (ops only). */
export function useScenarioChanges() {
  const queryClient = useQueryClient();
  return {
    applyMigrations: useMutation(applyMigrations(queryClient)),
    injectFault: useMutation(injectFault(queryClient)),
    clearFaults: useMutation(clearFaults(queryClient)),
    failInvocations: useMutation(failInvocations(queryClient)),
    advanceClock: useMutation(advanceClock(queryClient)),
    openLongTransaction: useMutation(openLongTransaction(queryClient)),
    endLongTransaction: useMutation(endLongTransaction(queryClient)),
  };
}
