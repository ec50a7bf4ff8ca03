import {
  queryOptions,
  skipToken,
  useMutation,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import type { Deploy, DeployDetail, DeployList, PreparePreview, ReleaseRequest } from '@flightdeck/contracts';
import { declareChange } from './change';
import { getJson } from './client';

export const deployKeys = {
  all: ['deploys'] as const,
  list: () => [...deployKeys.all, 'list'] as const,
  detail: (id: string) => [...deployKeys.all, 'detail', id] as const,
  preparePreview: () => [...deployKeys.all, 'prepare-preview'] as const,
};

const deployPath = (id: string) => `/api/v1/deploys/${encodeURIComponent(id)}`;

/** A deploy that has ended: kept as it was, read-only. */
export const hasEnded = (deploy: Deploy) =>
  deploy.phase === 'done' || deploy.phase === 'rolled-back' || deploy.phase === 'cancelled';

/** A deploy still being prepared, applied or watched: the one the Overview links to. */
export const isActiveDeploy = (deploy: Deploy) => !hasEnded(deploy);

/*
 * One phase on every page: the list (the Overview's line, the deploy list) and a deploy's detail
 * (its page) are polled at different rates, so the newer answer is written into the other cache
 * instead of each page showing its own age of the same deploy ("preparing" beside "ready").
 */

/** A deploy's detail just answered: the list shows that deploy, and its verdict, as the detail has them. */
export function showDetailInList(queryClient: QueryClient, detail: DeployDetail) {
  queryClient.setQueryData<DeployList>(deployKeys.list(), (list) =>
    list?.deploys.some((d) => d.id === detail.deploy.id)
      ? {
          deploys: list.deploys.map((d) => (d.id === detail.deploy.id ? detail.deploy : d)),
          verdicts: { ...list.verdicts, [detail.deploy.id]: detail.verdict },
        }
      : list,
  );
}

/** The list just answered: a cached detail in another phase is out of date and asked again. */
function refreshDetailsBehind(queryClient: QueryClient, list: DeployList) {
  for (const deploy of list.deploys) {
    const cached = queryClient.getQueryData<DeployDetail>(deployKeys.detail(deploy.id));
    if (cached && cached.deploy.phase !== deploy.phase)
      void queryClient.invalidateQueries({ queryKey: deployKeys.detail(deploy.id), exact: true });
  }
}

/** Every deploy, newest first. */
export const deploysQuery = (refetchMs: number | false = 5_000) =>
  queryOptions({
    queryKey: deployKeys.list(),
    queryFn: async ({ client }) => {
      const list = await getJson<DeployList>('/api/v1/deploys');
      refreshDetailsBehind(client, list);
      return list;
    },
    refetchInterval: refetchMs,
  });

/** One deploy with its checklist, verdict and timeline; the evaluator refreshes it every few seconds. */
export const deployDetailQuery = (id: string | null) =>
  queryOptions({
    queryKey: deployKeys.detail(id ?? ''),
    queryFn:
      id === null
        ? skipToken
        : async ({ client }) => {
            const detail = await getJson<DeployDetail>(deployPath(id));
            showDetailInList(client, detail);
            return detail;
          },
    refetchInterval: 2_000,
  });

/** What preparing now would do (the snapshot's name, the instance), asked for when ops open the confirm. */
export const preparePreviewQuery = (enabled: boolean) =>
  queryOptions({
    queryKey: deployKeys.preparePreview(),
    queryFn: enabled ? () => getJson<PreparePreview>('/api/v1/deploys/prepare-preview') : skipToken,
    // The name is stamped with the time: asked again each time the confirm opens.
    staleTime: 0,
    gcTime: 0,
  });

export const reportUrl = (id: string) => `${deployPath(id)}/report`;

/** The deployment report as Markdown (the server answers Markdown to `Accept: text/markdown`). */
export async function fetchReportMarkdown(id: string): Promise<string> {
  const response = await fetch(reportUrl(id), { headers: { accept: 'text/markdown' } });
  if (!response.ok) throw new Error(`the server answered ${response.status}: ${await response.text()}`);
  return response.text();
}

/** Ops prepare a release: the baseline, the pre-migration snapshot; a deploy in its watch is superseded. */
export const prepareDeploy = declareChange<Deploy, ReleaseRequest | undefined>({
  method: 'POST',
  path: () => '/api/v1/deploys',
  body: (release) => (release && Object.keys(release).length > 0 ? { release } : {}),
  // The superseded deploy changed too: every deploy query is stale.
  invalidates: () => [deployKeys.all],
});

export type DeployTransitionInput =
  | { deployId: string; transition: 'migration'; state: 'started' | 'finished' }
  | { deployId: string; transition: 'released' }
  | { deployId: string; transition: 'finish'; note: string }
  | { deployId: string; transition: 'cancel'; reason: string };

/** Moves a deploy on (migration started/finished, released, finish, cancel); the answer is its new state. */
export const transitionDeploy = declareChange<DeployDetail, DeployTransitionInput>({
  method: 'POST',
  path: (v) => `${deployPath(v.deployId)}/${v.transition}`,
  body: (v) =>
    v.transition === 'migration'
      ? { state: v.state }
      : v.transition === 'finish'
        ? { note: v.note }
        : v.transition === 'cancel'
          ? { reason: v.reason }
          : {},
  showAnswer: (queryClient, detail) => showDetail(queryClient, detail),
  invalidates: (_detail, v) => [deployKeys.detail(v.deployId), deployKeys.list()],
});

export interface ItemSignOff {
  deployId: string;
  itemId: string;
  comment: string;
}
export interface ItemRevocation {
  deployId: string;
  itemId: string;
  reason: string;
}

const itemPath = (deployId: string, itemId: string, action: 'sign-off' | 'revoke') =>
  `${deployPath(deployId)}/items/${encodeURIComponent(itemId)}/${action}`;

/**
 * The server answers with the deploy's new state: shown at once. The detail is still invalidated
 * (not only overwritten) so the change never depends on the answer being the whole truth.
 */
const showDetail = (queryClient: QueryClient, detail: DeployDetail) => {
  queryClient.setQueryData(deployDetailQuery(detail.deploy.id).queryKey, detail);
  showDetailInList(queryClient, detail);
};

/** A lead signs off one manual item, with a comment. */
export const signOffItem = declareChange<DeployDetail, ItemSignOff>({
  method: 'POST',
  path: (v) => itemPath(v.deployId, v.itemId, 'sign-off'),
  body: (v) => ({ comment: v.comment }),
  showAnswer: showDetail,
  invalidates: (_detail, v) => [deployKeys.detail(v.deployId), deployKeys.list()],
});

/** A lead revokes a sign-off, with a reason. */
export const revokeItem = declareChange<DeployDetail, ItemRevocation>({
  method: 'POST',
  path: (v) => itemPath(v.deployId, v.itemId, 'revoke'),
  body: (v) => ({ reason: v.reason }),
  showAnswer: showDetail,
  invalidates: (_detail, v) => [deployKeys.detail(v.deployId), deployKeys.list()],
});

/** Prepare (ops), sign off and revoke (lead), the transitions. */
export function useDeployActions() {
  const queryClient = useQueryClient();
  return {
    prepare: useMutation(prepareDeploy(queryClient)),
    transition: useMutation(transitionDeploy(queryClient)),
    signOff: useMutation(signOffItem(queryClient)),
    revoke: useMutation(revokeItem(queryClient)),
  };
}
