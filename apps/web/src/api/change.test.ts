import { MutationObserver, QueryClient, type QueryKey } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeployDetail, RollbackJob, SandboxState, Session } from '@flightdeck/contracts';
import { auditKeys } from './audit';
import type { declareChange } from './change';
import { ApiError } from './client';
import { signInAsDemoUser } from './demo-users';
import { deployKeys, prepareDeploy, revokeItem, signOffItem, transitionDeploy } from './deploys';
import { migrationKeys } from './migrations';
import { overviewKeys } from './overview';
import { previewRollback, rollbackKeys, startRollback } from './rollbacks';
import { applyMigrations, sandboxKeys } from './sandbox';
import { sessionKeys } from './session';

/** What a page could have cached when the change is made: two deploys, rollbacks, the scenario… */
const cached = {
  session: sessionKeys.current,
  overview: overviewKeys.current,
  deployList: deployKeys.list(),
  deployD1: deployKeys.detail('d1'),
  deployD2: deployKeys.detail('d2'),
  rollbacksOverview: rollbackKeys.overview(),
  rollbackJob: rollbackKeys.job('job-0'),
  migrations: migrationKeys.history,
  sandboxState: sandboxKeys.state,
  audit: auditKeys.list({ actor: '', action: '' }),
} satisfies Record<string, QueryKey>;
type CachedQuery = keyof typeof cached;

function seededCache() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  for (const [name, key] of Object.entries(cached)) {
    queryClient.setQueryData(
      key,
      name === 'session'
        ? { csrfToken: 'csrf-of-ops' }
        : // The list has its shape: an answer's deploy is written into it.
          name === 'deployList'
          ? { deploys: [], verdicts: {} }
          : { seeded: name },
    );
  }
  return queryClient;
}

const invalidated = (queryClient: QueryClient) =>
  (Object.keys(cached) as CachedQuery[]).filter(
    (name) => queryClient.getQueryState(cached[name])?.isInvalidated,
  );

/** The BFF, answering every change with `answer` and remembering what it was sent. */
function serverAnswering(answer: unknown, status = 200) {
  const fetch = vi.fn(
    async (_url: string, _init: RequestInit) =>
      new Response(JSON.stringify(answer), { status, headers: { 'content-type': 'application/json' } }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}
afterEach(() => {
  vi.unstubAllGlobals();
});

/** Runs a declared change the way useMutation does. */
function run<TAnswer, TInput>(
  change: ReturnType<typeof declareChange<TAnswer, TInput>>,
  queryClient: QueryClient,
  input: TInput,
) {
  return new MutationObserver(queryClient, change(queryClient)).mutate(input);
}

const detailAnswer = { deploy: { id: 'd1' }, checklist: [], timeline: [] } as unknown as DeployDetail;
const rollbackRequest = {
  deployId: 'd1',
  kind: 'lambda' as const,
  target: 'credmate-api',
  confirmation: 'credmate-api',
};

describe('what each change makes stale', () => {
  it('starting a rollback: the rollbacks overview, that deploy and the deploy list', async () => {
    const queryClient = seededCache();
    serverAnswering({ id: 'job-1' } as RollbackJob);
    await run(startRollback, queryClient, rollbackRequest);
    expect(invalidated(queryClient)).toEqual(['deployList', 'deployD1', 'rollbacksOverview']);
  });

  it('a sign-off or a revocation: that deploy, shown from the answer at once, and the list', async () => {
    serverAnswering(detailAnswer);
    const signedOff = seededCache();
    await run(signOffItem, signedOff, { deployId: 'd1', itemId: 'smoke-test', comment: 'checked by hand' });
    const revoked = seededCache();
    await run(revokeItem, revoked, { deployId: 'd1', itemId: 'smoke-test', reason: 'wrong build' });
    for (const queryClient of [signedOff, revoked]) {
      expect(invalidated(queryClient)).toEqual(['deployList', 'deployD1']);
      expect(queryClient.getQueryData(cached.deployD1)).toEqual(detailAnswer);
    }
  });

  it('preparing a deploy: every deploy (the one in its watch is superseded)', async () => {
    const queryClient = seededCache();
    serverAnswering({ id: 'd3' });
    await run(prepareDeploy, queryClient, { name: 'v2.14.0' });
    expect(invalidated(queryClient)).toEqual(['deployList', 'deployD1', 'deployD2']);
  });

  it('finishing a deploy: its detail, shown from the answer, and the list', async () => {
    const queryClient = seededCache();
    serverAnswering(detailAnswer);
    await run(transitionDeploy, queryClient, { deployId: 'd1', transition: 'finish', note: 'quiet day' });
    expect(invalidated(queryClient)).toEqual(['deployList', 'deployD1']);
    expect(queryClient.getQueryData(cached.deployD1)).toEqual(detailAnswer);
  });

  it('a rollback preview changes nothing', async () => {
    const queryClient = seededCache();
    serverAnswering({ blocked: null });
    await run(previewRollback, queryClient, rollbackRequest);
    expect(invalidated(queryClient)).toEqual([]);
  });

  it('a scenario change: its answer replaces the sandbox state, the rest follows the live stream', async () => {
    const queryClient = seededCache();
    const state = { pending: [], scenarioTime: '2026-02-03T06:30:00Z' } as unknown as SandboxState;
    serverAnswering(state);
    await run(applyMigrations, queryClient, undefined);
    expect(invalidated(queryClient)).toEqual([]);
    expect(queryClient.getQueryData(cached.sandboxState)).toEqual(state);
  });

  it('signing in as another demo user: everything', async () => {
    const queryClient = seededCache();
    serverAnswering({ ok: true });
    await run(signInAsDemoUser, queryClient, 'lead');
    expect(invalidated(queryClient)).toEqual(Object.keys(cached));
  });

  it('a refused change makes nothing stale and says why', async () => {
    const queryClient = seededCache();
    serverAnswering({ error: { code: 'Conflict', message: 'A rollback of credmate-api is running' } }, 409);
    const failure = run(startRollback, queryClient, rollbackRequest);
    await expect(failure).rejects.toThrow(ApiError);
    await expect(failure).rejects.toThrow('A rollback of credmate-api is running');
    expect(invalidated(queryClient)).toEqual([]);
  });
});

describe('how a change is sent', () => {
  it('with the CSRF token of whoever is signed in when it is sent, a fresh idempotency key and its body', async () => {
    const queryClient = seededCache();
    const fetch = serverAnswering({ id: 'job-1' });
    const observer = new MutationObserver(queryClient, startRollback(queryClient));
    // A demo-user switch after the page rendered: the change must carry the new session's token.
    queryClient.setQueryData<Session>(sessionKeys.current, { csrfToken: 'csrf-of-lead' } as Session);
    await observer.mutate(rollbackRequest);
    await observer.mutate(rollbackRequest);

    const [url, init] = fetch.mock.calls[0]!;
    const headers = init.headers as Record<string, string>;
    expect(url).toBe('/api/v1/rollbacks');
    expect(init.method).toBe('POST');
    expect(headers['x-csrf-token']).toBe('csrf-of-lead');
    expect(JSON.parse(init.body as string)).toEqual(rollbackRequest);
    const secondKey = (fetch.mock.calls[1]![1].headers as Record<string, string>)['idempotency-key'];
    expect(headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(secondKey).not.toBe(headers['idempotency-key']);
  });
});
