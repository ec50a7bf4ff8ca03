// The deploy's record is written once: two recorders on one store (two replicas), the same live
// data seen again, a recorder started anew (a restart) — each event is on the timeline once.
import type { DeployDetail, RollbackJob } from '@flightdeck/contracts';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';
import { DeployRecorder } from './deploy-record.js';
import type { DeployTables } from './store/deploy-tables.js';

const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';

describe('the deploy record', () => {
  let app: TestApp;
  let ops: Record<string, string>;
  let deployId: string;
  const recorder = () =>
    new DeployRecorder({
      db: app.app.store.db as unknown as Kysely<DeployTables>,
      environment: app.app.config.environment,
      service: app.app.deploys.service,
      sources: () => app.app.sources.snapshot(),
      now: () => app.app.upstreams.now().toISOString(),
    });
  const post = async <T>(path: string, body: unknown, key: string) => {
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { ...ops, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const timeline = async () => (await app.get<DeployDetail>(`/api/v1/deploys/${deployId}`)).body.timeline;
  // Twice: a refresh joins a poll already in flight, which may have read the time before the clock moved.
  const refresh = async () => {
    await app.app.sources.refreshAll();
    await app.app.sources.refreshAll();
  };
  const count = async (kind: string) => (await timeline()).filter((e) => e.kind === kind).length;

  beforeAll(async () => {
    // The evaluator stays out of the way: the test drives the recorders itself.
    app = await buildTestApp({ deploys: { evaluateMs: 3_600_000 } });
    ops = await app.signIn('ops');
    await app.control('POST', 'migrations/apply');
    await app.control('POST', 'clock/advance', { seconds: 15 * 60 });
    await refresh();
    const prepared = await post<{ id: string }>('/api/v1/deploys', {}, 'prepare-1');
    expect(prepared.status).toBe(201);
    deployId = prepared.body.id;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('an error episode, seen by two replicas and again after a restart, is one start and one stop with the counts', async () => {
    // Twenty failures within one minute: the clock to 25 s past a minute, failures over the 20 s before.
    const second = app.app.upstreams.now().getUTCSeconds();
    await app.control('POST', 'clock/advance', { seconds: ((85 - second) % 60) + 60 });
    await app.control('POST', `functions/${backend}/errors`, { count: 20 });
    // That minute is over, the next one not yet: the episode has begun and not ended.
    await app.control('POST', 'clock/advance', { seconds: 40 });
    await refresh();
    const [a, b] = [recorder(), recorder()];
    await Promise.all([a.record(), b.record(), a.record(), b.record()]);
    expect(await count('errors-started')).toBe(1);
    expect(await count('errors-stopped')).toBe(0);
    await app.control('POST', 'clock/advance', { seconds: 120 });
    await refresh();
    await Promise.all([a.record(), b.record()]);
    await recorder().record();
    expect(await count('errors-started')).toBe(1);
    expect(await count('errors-stopped')).toBe(1);
    const stopped = (await timeline()).find((e) => e.kind === 'errors-stopped')!;
    expect(stopped.details).toMatchObject({ functionName: backend, errors: 20 });
    expect(stopped.message).toMatch(
      /^Backend API: errors stopped after 1 min — 20 errors in \d+ invocations/,
    );
    // The first verdict is recorded once too.
    expect(await count('verdict-changed')).toBe(1);
  });

  it('a refused rollback and a started one are events once; the alias change says it was Flightdeck', async () => {
    // The snapshot is taken: the deploy is ready, waiting for its release.
    await app.control('POST', 'clock/advance', { seconds: 10 * 60 });
    await refresh();
    await app.app.deploys.service.evaluate();
    const phase = async () => (await app.get<DeployDetail>(`/api/v1/deploys/${deployId}`)).body.deploy.phase;
    expect(await phase()).toBe('ready');
    // The live version is no target: refused (409), twice with the same key, once on the record.
    const version = (
      await app.get<{
        sources: { lambda: { data: { functions: Array<{ functionName: string; aliasVersion: string }> } } };
      }>('/api/v1/overview')
    ).body.sources.lambda.data.functions.find((f) => f.functionName === backend)!.aliasVersion;
    const refusal = { deployId, kind: 'lambda', target: backend, version, confirmation: backend };
    expect((await post('/api/v1/rollbacks', refusal, 'refused-1')).status).toBe(409);
    expect((await post('/api/v1/rollbacks', refusal, 'refused-1')).status).toBe(409);
    await waitFor(async () => ((await count('rollback-refused')) > 0 ? true : undefined));
    expect(await count('rollback-refused')).toBe(1);

    const started = await post<RollbackJob>(
      '/api/v1/rollbacks',
      { deployId, kind: 'lambda', target: backend, confirmation: backend },
      'rollback-1',
    );
    expect(started.status).toBe(202);
    await waitFor(async () => ((await count('rollback-verifying')) > 0 ? true : undefined));
    // Told again (a replica, a resumed job): still once.
    await Promise.all([
      app.app.deploys.rollbackStarted(started.body),
      app.app.deploys.rollbackFinished({ ...started.body, state: 'verifying' }),
    ]);
    expect(await count('rollback-started')).toBe(1);
    expect(await count('rollback-verifying')).toBe(1);

    await refresh();
    await Promise.all([recorder().record(), recorder().record()]);
    const moves = (await timeline()).filter((e) => e.kind === 'alias-changed');
    expect(moves).toHaveLength(1);
    expect(moves[0]!.message).toMatch(
      new RegExp(
        `^Backend API alias prod: version ${version} → \\d+, by Flightdeck, rollback job ${started.body.id}`,
      ),
    );
    // Not the release going out: the deploy does not move on because a rollback moved its alias.
    await app.app.deploys.service.evaluate();
    expect((await timeline()).some((e) => e.details.seen === 'release-seen')).toBe(false);
    expect(await phase()).toBe('ready');
  });

  it('the record is on the metrics charts as markers of their own kinds', async () => {
    const lead = await app.signIn('lead');
    const signed = await fetch(`${app.url}/api/v1/deploys/${deployId}/items/frontend-commit/sign-off`, {
      method: 'POST',
      headers: { ...lead, 'content-type': 'application/json', 'idempotency-key': 'sign-off-1' },
      body: JSON.stringify({ comment: 'tagged v2.15.0' }),
    });
    expect(signed.status).toBeLessThan(300);
    const metrics = await app.get<{ markers: Array<{ kind: string; source: string; title: string }> }>(
      '/api/v1/metrics?window=1h',
    );
    const recorded = metrics.body.markers.filter((m) => m.source === 'deploy-record');
    expect(new Set(recorded.map((m) => m.kind))).toEqual(
      new Set([
        'errors-started',
        'errors-stopped',
        'verdict-changed',
        'rollback-refused',
        'rollback',
        'alias-changed',
        'sign-off',
      ]),
    );
    expect(recorded.find((m) => m.kind === 'rollback-refused')!.title).toMatch(/^Rollback refused: /);
  });
});
