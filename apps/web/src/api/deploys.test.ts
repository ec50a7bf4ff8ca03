import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Deploy, DeployDetail, DeployList, DeployVerdict } from '@flightdeck/contracts';
import { deployDetailQuery, deployKeys, deploysQuery } from './deploys';

const deploy = (phase: Deploy['phase']) => ({ id: 'd1', phase }) as Deploy;
const verdict = (word: DeployVerdict['verdict']) => ({ verdict: word }) as DeployVerdict;
const listOf = (phase: Deploy['phase']): DeployList => ({
  deploys: [deploy(phase), { id: 'd0', phase: 'done' } as Deploy],
  verdicts: { d1: verdict('NO-GO') },
});
const detailOf = (phase: Deploy['phase']) =>
  ({ deploy: deploy(phase), verdict: verdict('GO'), checklist: [], timeline: [] }) as unknown as DeployDetail;

function serverAnswering(answer: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(
      async () => new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } }),
    ),
  );
}
afterEach(() => vi.unstubAllGlobals());

describe('one phase for a deploy on every page', () => {
  it('a detail that answers "ready" makes the list (the Overview line, the deploy list) say ready too', async () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(deployKeys.list(), listOf('preparing'));
    serverAnswering(detailOf('ready'));
    await queryClient.fetchQuery(deployDetailQuery('d1'));
    const list = queryClient.getQueryData<DeployList>(deployKeys.list())!;
    expect(list.deploys.map((d) => [d.id, d.phase])).toEqual([
      ['d1', 'ready'],
      ['d0', 'done'],
    ]);
    expect(list.verdicts.d1?.verdict).toBe('GO');
  });

  it('a list that answers another phase than a cached detail has that detail asked again', async () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(deployKeys.detail('d1'), detailOf('preparing'));
    serverAnswering(listOf('ready'));
    await queryClient.fetchQuery(deploysQuery());
    expect(queryClient.getQueryState(deployKeys.detail('d1'))?.isInvalidated).toBe(true);
  });

  it('a list in the same phase leaves the detail alone', async () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(deployKeys.detail('d1'), detailOf('ready'));
    serverAnswering(listOf('ready'));
    await queryClient.fetchQuery(deploysQuery());
    expect(queryClient.getQueryState(deployKeys.detail('d1'))?.isInvalidated).toBe(false);
  });
});
