import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Deploy, DeployDetail, DeployList } from '@flightdeck/contracts';
import { getJson, sendChange } from './client';
import { useSession } from './session';

const deploysKey = ['deploys'] as const;
const deployKey = (id: string) => ['deploy', id] as const;

/** A deploy still being prepared, applied or watched: the one the Overview links to. */
export const isActiveDeploy = (deploy: Deploy) => deploy.phase !== 'done' && deploy.phase !== 'rolled-back';

/** Every deploy, newest first. */
export function useDeploys(refetchMs: number | false = 5_000) {
  return useQuery({
    queryKey: deploysKey,
    queryFn: () => getJson<DeployList>('/api/v1/deploys'),
    refetchInterval: refetchMs,
  });
}

/** One deploy with its checklist, verdict and timeline; the evaluator refreshes it every few seconds. */
export function useDeployDetail(id: string | null) {
  return useQuery({
    queryKey: deployKey(id ?? ''),
    queryFn: () => getJson<DeployDetail>(`/api/v1/deploys/${encodeURIComponent(id!)}`),
    enabled: id !== null,
    refetchInterval: 2_000,
  });
}

export const reportUrl = (id: string) => `/api/v1/deploys/${encodeURIComponent(id)}/report`;

/** Prepare (ops), sign off and revoke (lead): each answers with the new state, shown at once. */
export function useDeployActions() {
  const queryClient = useQueryClient();
  const csrfToken = useSession().data?.csrfToken ?? '';
  const itemPath = (deployId: string, itemId: string, action: 'sign-off' | 'revoke') =>
    `/api/v1/deploys/${encodeURIComponent(deployId)}/items/${encodeURIComponent(itemId)}/${action}`;
  const showDetail = (detail: DeployDetail) => queryClient.setQueryData(deployKey(detail.deploy.id), detail);
  return {
    prepare: useMutation({
      mutationFn: () => sendChange<Deploy>('POST', '/api/v1/deploys', csrfToken, {}),
      onSuccess: () => queryClient.invalidateQueries({ queryKey: deploysKey }),
    }),
    signOff: useMutation({
      mutationFn: (v: { deployId: string; itemId: string; comment: string }) =>
        sendChange<DeployDetail>('POST', itemPath(v.deployId, v.itemId, 'sign-off'), csrfToken, {
          comment: v.comment,
        }),
      onSuccess: showDetail,
    }),
    revoke: useMutation({
      mutationFn: (v: { deployId: string; itemId: string; reason: string }) =>
        sendChange<DeployDetail>('POST', itemPath(v.deployId, v.itemId, 'revoke'), csrfToken, {
          reason: v.reason,
        }),
      onSuccess: showDetail,
    }),
  };
}
