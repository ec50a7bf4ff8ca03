import { useQuery } from '@tanstack/react-query';
import { api, queryKeys } from './client';

export function useOverview() {
  // Live updates keep it current; a refetch happens only on mount or reconnect.
  return useQuery({ queryKey: queryKeys.overview, queryFn: api.overview, staleTime: Infinity });
}
