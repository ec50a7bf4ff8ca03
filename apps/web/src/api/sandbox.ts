import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdvanceClock, FailInvocations, SandboxFault, SandboxState } from '@flightdeck/contracts';
import { getJson, queryKeys, sendChange } from './client';
import { useSession } from './session';

export function useSandboxState(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.sandboxState,
    queryFn: () => getJson<SandboxState>('/api/v1/sandbox/state'),
    enabled,
    refetchInterval: 5_000,
  });
}

/** The scenario's changes (ops only): each refreshes the sandbox state; panels follow over SSE. */
export function useScenarioChanges() {
  const queryClient = useQueryClient();
  const csrfToken = useSession().data?.csrfToken ?? '';
  // Each change answers with the new state: show it at once rather than after the next poll.
  const onSuccess = (state: SandboxState) => queryClient.setQueryData(queryKeys.sandboxState, state);
  return {
    applyMigrations: useMutation({
      mutationFn: () => sendChange<SandboxState>('POST', '/api/v1/sandbox/migrations/apply', csrfToken, {}),
      onSuccess,
    }),
    injectFault: useMutation({
      mutationFn: (fault: SandboxFault) =>
        sendChange<SandboxState>('POST', '/api/v1/sandbox/faults', csrfToken, fault),
      onSuccess,
    }),
    clearFaults: useMutation({
      mutationFn: () => sendChange<SandboxState>('DELETE', '/api/v1/sandbox/faults', csrfToken),
      onSuccess,
    }),
    failInvocations: useMutation({
      mutationFn: ({ functionName, ...body }: FailInvocations & { functionName: string }) =>
        sendChange<SandboxState>(
          'POST',
          `/api/v1/sandbox/functions/${encodeURIComponent(functionName)}/errors`,
          csrfToken,
          body,
        ),
      onSuccess,
    }),
    advanceClock: useMutation({
      mutationFn: (body: AdvanceClock) =>
        sendChange<SandboxState>('POST', '/api/v1/sandbox/clock/advance', csrfToken, body),
      onSuccess,
    }),
  };
}
