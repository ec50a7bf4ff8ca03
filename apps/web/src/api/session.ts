import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, queryKeys, sendChange } from './client';

export function useSession() {
  return useQuery({ queryKey: queryKeys.session, queryFn: api.session, staleTime: 5 * 60_000 });
}

/** Sandbox mode: become another demo user; every query is refetched as them. */
export function usePickDemoUser() {
  const queryClient = useQueryClient();
  const session = useSession();
  return useMutation({
    mutationFn: (user: string) =>
      sendChange('POST', '/api/v1/session/demo-user', session.data?.csrfToken ?? '', { user }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
