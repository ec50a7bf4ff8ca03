import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Session } from '@flightdeck/contracts';
import { getJson } from './client';

export const sessionKeys = {
  current: ['session'] as const,
};

/** Who is signed in, their role and the CSRF token every change carries. */
export const sessionQuery = () =>
  queryOptions({
    queryKey: sessionKeys.current,
    queryFn: () => getJson<Session>('/api/v1/session'),
    staleTime: 5 * 60_000,
  });

/** Read by nearly every component (role, CSRF token), so it gets a hook of its own. */
export const useSession = () => useQuery(sessionQuery());
