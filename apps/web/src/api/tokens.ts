import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiToken, IssuedToken, IssueTokenRequest, TokenList } from '@flightdeck/contracts';
import { declareChange } from './change';
import { getJson } from './client';

export const tokenKeys = {
  all: ['tokens'] as const,
  list: () => [...tokenKeys.all, 'list'] as const,
};

/** Every API token (never its secret); ops only. */
export const tokensQuery = (enabled: boolean) =>
  queryOptions({
    queryKey: tokenKeys.list(),
    queryFn: () => getJson<TokenList>('/api/v1/tokens'),
    enabled,
    // Last use moves while pipelines run.
    refetchInterval: 10_000,
  });

/** Issues a token: the answer holds the secret, shown once and never cached. */
export const issueToken = declareChange<IssuedToken, IssueTokenRequest>({
  method: 'POST',
  path: () => '/api/v1/tokens',
  body: (request) => request,
  invalidates: () => [tokenKeys.list()],
});

/** Revokes a token: every replica refuses it from its next request. */
export const revokeToken = declareChange<ApiToken, string>({
  method: 'DELETE',
  path: (id) => `/api/v1/tokens/${encodeURIComponent(id)}`,
  invalidates: () => [tokenKeys.list()],
});

export function useTokenActions() {
  const queryClient = useQueryClient();
  return { issue: useMutation(issueToken(queryClient)), revoke: useMutation(revokeToken(queryClient)) };
}
