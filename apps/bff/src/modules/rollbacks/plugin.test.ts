// The rollbacks module alone: registered on a bare Fastify with fakes of what it stands on (the
// platform's decorators, a Lambda that answers from a map, jobs in memory), driven with inject.
import { fileURLToPath } from 'node:url';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { DeployBaseline } from '@flightdeck/contracts';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config.js';
import { AccessTable } from '../../platform/auth/access-rules.js';
import { answerErrors } from '../../platform/errors/error-handler.js';
import { StoppingError } from '../../platform/upstreams/shutdown-signal.js';
import { MemoryRollbackRepository } from './rollback-jobs.js';
import { rollbacksModule } from './plugin.js';

const versionsDir = fileURLToPath(
  new URL('../../../../../packages/sandbox/alembic/versions', import.meta.url),
);
const backend = 'acme-api';
/** What the module told the notifications module, in order. */
const told: string[] = [];
/** The Overview's metrics collector as the module reads it: set by a test. */
const metricsState: { data: unknown } = { data: null };

const baseline: DeployBaseline = {
  databaseRevision: '20260115_0200',
  codeHead: '20260131_0000',
  aliases: [{ functionName: backend, alias: 'live', version: '13' }],
  frontendRef: null,
  snapshot: null,
};

/**
 * A Lambda alias that answers GetAlias and UpdateAlias, counting updates; guarded by RevisionId,
 * or (`revisionIds: false`, as some emulators) with no RevisionId at all.
 */
function fakeLambda(start: string, { revisionIds = true } = {}) {
  const alias = { version: start, revision: 1, updates: 0 };
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, string> }) {
      if (command.constructor.name === 'GetAliasCommand')
        return {
          FunctionVersion: alias.version,
          ...(revisionIds ? { RevisionId: `rev-${alias.revision}` } : {}),
        };
      if (command.constructor.name === 'UpdateAliasCommand') {
        if (revisionIds && command.input.RevisionId !== `rev-${alias.revision}`)
          throw Object.assign(new Error('revision changed'), { name: 'PreconditionFailedException' });
        alias.updates++;
        alias.version = command.input.FunctionVersion!;
        alias.revision++;
        return {};
      }
      if (command.constructor.name === 'ListVersionsByFunctionCommand')
        return {
          Versions: ['$LATEST', ...Array.from({ length: 16 }, (_, i) => String(i + 1))].map((Version) => ({
            Version,
          })),
        };
      throw new Error(`the fake Lambda does not answer ${command.constructor.name}`);
    },
  };
  return { alias, client: client as unknown as LambdaClient };
}

async function rollbacksAlone(
  lambda: LambdaClient,
  recorded: DeployBaseline = baseline,
  repository = new MemoryRollbackRepository(),
): Promise<FastifyInstance> {
  const app = Fastify();
  answerErrors(app);
  const config = parseConfig({ alembic: { versionsDir } });
  const duties: string[] = [];
  told.length = 0;
  metricsState.data = null;
  app.decorate('config', config);
  app.decorate('access', new AccessTable());
  app.decorate('leadership', {
    replicaId: 'test',
    leading: true,
    leader: () => ({ id: 'test', epoch: '1', since: null }),
    onChange: () => () => undefined,
    duty: (duty: { name: string }) => void duties.push(duty.name),
  });
  app.decorate('store', { url: null } as never);
  app.decorate('upstreams', {
    aws: { lambda, rds: {} },
    mutations: { lambda, rds: {} },
    now: () => new Date(),
  } as never);
  app.decorate('sources', {
    collectors: {
      alembic: { state: { data: { current: [baseline.databaseRevision] } } },
      lambda: {
        state: {
          data: {
            functions: [
              {
                functionName: backend,
                alias: 'live',
                aliasVersion: '14',
                previousPublishedVersion: '13',
                versions: [
                  { version: '14', lastModified: '2026-02-03T06:00:00Z', description: 'the release' },
                  { version: '13', lastModified: '2026-01-20T10:00:00Z', description: null },
                ],
              },
            ],
          },
        },
      },
      metrics: { state: metricsState },
    },
    refreshAll: async () => undefined,
  } as never);
  app.decorate('deploys', {
    rollbackFinished: async (job: { state: string }) => void told.push(`deploys: rollback ${job.state}`),
    rollbackStarted: async () => void told.push('deploys: rollback started'),
    rollbackRefused: async (r: { code: string }) => void told.push(`deploys: rollback refused ${r.code}`),
    baselines: () => ({
      get: async (id: string) => (id === 'd1' ? { id, environment: 'production', baseline: recorded } : null),
      current: async () => ({ id: 'd1', environment: 'production', baseline: recorded }),
    }),
  } as never);
  // Stand-ins for the plugins it depends on: their decorators are the fakes above.
  app.decorate('notifications', {
    emit: async (event: { type: string }) => void told.push(event.type),
    emitWithin: async (_trx: unknown, event: { type: string }) => void told.push(event.type),
  });
  for (const name of [
    'flightdeck-platform',
    'flightdeck-overview',
    'flightdeck-deploys',
    'flightdeck-notifications',
  ])
    await app.register(fp(async () => undefined, { name }));
  await app.register(rollbacksModule, { repository });
  await app.ready();
  expect(duties).toEqual(['the rollback jobs']);
  return app;
}

describe('the rollbacks module on its own', () => {
  let app: FastifyInstance | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('declares who may call each of its routes', async () => {
    app = await rollbacksAlone(fakeLambda('14').client);
    expect(app.access.rules).toEqual({
      'POST /api/v1/rollbacks/preview': 'ops',
      'POST /api/v1/rollbacks': 'ops',
      'GET /api/v1/rollbacks': 'viewer',
      'GET /api/v1/rollbacks/:id': 'viewer',
      'POST /api/v1/rollbacks/:id/cut-over': 'ops',
    });
  });

  it('previews the exact UpdateAlias call, then rolls the alias back once and verifies it with a minute of traffic', async () => {
    const lambda = fakeLambda('14');
    app = await rollbacksAlone(lambda.client);
    const preview = await app.inject({
      method: 'POST',
      url: '/api/v1/rollbacks/preview',
      payload: { deployId: 'd1', kind: 'lambda', target: backend },
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({
      current: 'live -> 14',
      desired: 'live -> 13',
      blocked: null,
      calls: [{ operation: 'UpdateAlias', parameters: { FunctionVersion: '13', RevisionId: 'rev-1' } }],
    });

    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/rollbacks',
      headers: { 'idempotency-key': 'module-test-1' },
      payload: { deployId: 'd1', kind: 'lambda', target: backend, confirmation: backend },
    });
    expect(started.statusCode).toBe(202);
    const id = started.json<{ id: string }>().id;
    await expect
      .poll(
        async () => (await app!.inject({ url: `/api/v1/rollbacks/${id}` })).json<{ state: string }>().state,
      )
      .toBe('verifying');
    expect(lambda.alias).toMatchObject({ version: '13', updates: 1 });
    // No minute of traffic after the change yet: it stays verifying, however often it is looked at.
    const minute = (offset: number) =>
      new Date(Math.floor(Date.now() / 60_000) * 60_000 + offset * 60_000).toISOString();
    const before = { t: minute(-5), invocations: 10, errors: 5, p99DurationMs: 30 };
    metricsState.data = { functions: [{ functionName: backend, series: [before] }] };
    await app.rollbacks.verifier.verifyAll();
    const waiting = (await app.inject({ url: `/api/v1/rollbacks/${id}` })).json<{
      state: string;
      verification: Array<{ check: string; pending?: boolean }>;
    }>();
    expect(waiting.state).toBe('verifying');
    expect(waiting.verification.find((v) => v.check === 'error rate')).toMatchObject({ pending: true });
    // Minutes come in: errors before the rollback, none in the two whole minutes after it.
    metricsState.data = {
      functions: [
        {
          functionName: backend,
          series: [
            before,
            { t: minute(1), invocations: 10, errors: 0, p99DurationMs: 30 },
            { t: minute(2), invocations: 10, errors: 0, p99DurationMs: 30 },
          ],
        },
      ],
    };
    await Promise.all([app.rollbacks.verifier.verifyAll(), app.rollbacks.verifier.verifyAll()]);
    const verified = (await app.inject({ url: `/api/v1/rollbacks/${id}` })).json<{
      state: string;
      verification: Array<{ check: string; ok: boolean; pending?: boolean; detail: string }>;
    }>();
    expect(verified.state).toBe('succeeded');
    expect(verified.verification.find((v) => v.check === 'error rate')).toMatchObject({
      ok: true,
      pending: false,
      detail: expect.stringMatching(/^Error rate fell: 50\.00 % in the 10 min before → 0\.00 %/),
    });
    // The deploys module hears each state once; the notification comes when the job ends.
    await expect
      .poll(() => told)
      .toEqual([
        'rollback.started',
        'deploys: rollback started',
        'deploys: rollback verifying',
        'rollback.finished',
        'deploys: rollback succeeded',
      ]);
  });

  it('a rollback whose error rate does not fall fails its verification, and says so', async () => {
    const lambda = fakeLambda('14');
    app = await rollbacksAlone(lambda.client);
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/rollbacks',
      headers: { 'idempotency-key': 'module-test-fails' },
      payload: { deployId: 'd1', kind: 'lambda', target: backend, confirmation: backend },
    });
    const id = started.json<{ id: string }>().id;
    await expect
      .poll(
        async () => (await app!.inject({ url: `/api/v1/rollbacks/${id}` })).json<{ state: string }>().state,
      )
      .toBe('verifying');
    const minute = (offset: number) =>
      new Date(Math.floor(Date.now() / 60_000) * 60_000 + offset * 60_000).toISOString();
    metricsState.data = {
      functions: [
        {
          functionName: backend,
          series: [
            { t: minute(-5), invocations: 10, errors: 1, p99DurationMs: 30 },
            { t: minute(1), invocations: 10, errors: 5, p99DurationMs: 30 },
            { t: minute(2), invocations: 10, errors: 5, p99DurationMs: 30 },
          ],
        },
      ],
    };
    await app.rollbacks.verifier.verifyAll();
    const job = (await app.inject({ url: `/api/v1/rollbacks/${id}` })).json<{
      state: string;
      error: string;
    }>();
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(
      /^Verification failed: Error rate did not fall: 10\.00 % in the 10 min before → 50\.00 %/,
    );
    await expect.poll(() => told.at(-1)).toBe('deploys: rollback failed');
    expect(told).toContain('rollback.finished');
  });

  it('answers refusals through the one error mapping, changing nothing', async () => {
    const lambda = fakeLambda('13');
    app = await rollbacksAlone(lambda.client);
    const unknownDeploy = await app.inject({
      method: 'POST',
      url: '/api/v1/rollbacks/preview',
      payload: { deployId: 'nope', kind: 'lambda', target: backend },
    });
    expect(unknownDeploy.statusCode).toBe(404);
    expect(unknownDeploy.json()).toEqual({
      error: { code: 'DeployNotFound', message: 'There is no deploy nope.' },
    });
    const mistyped = await app.inject({
      method: 'POST',
      url: '/api/v1/rollbacks',
      payload: { deployId: 'd1', kind: 'lambda', target: backend, confirmation: 'acme' },
    });
    expect(mistyped.statusCode).toBe(400);
    expect(mistyped.json<{ error: { code: string } }>().error.code).toBe('ConfirmationMismatch');
    // The live version itself is shown as such and cannot be started.
    const alreadyThere = await app.inject({
      method: 'POST',
      url: '/api/v1/rollbacks',
      payload: { deployId: 'd1', kind: 'lambda', target: backend, version: '13', confirmation: backend },
    });
    expect(alreadyThere.statusCode).toBe(409);
    expect(alreadyThere.json()).toMatchObject({
      error: { code: 'NothingToDo', inTheWay: { current: 'live -> 13', desired: 'live -> 13' } },
    });
    expect(lambda.alias.updates).toBe(0);
    expect((await app.inject({ url: '/api/v1/rollbacks/none' })).statusCode).toBe(404);
  });

  it('an endpoint without RevisionIds: an alias moved after the preview is refused by its version', async () => {
    const lambda = fakeLambda('14', { revisionIds: false });
    app = await rollbacksAlone(lambda.client);
    const preview = await app.inject({
      method: 'POST',
      url: '/api/v1/rollbacks/preview',
      payload: { deployId: 'd1', kind: 'lambda', target: backend },
    });
    const seen = preview.json<{ currentVersion: string; revisionId: string }>();
    expect(seen).toMatchObject({ currentVersion: '14', revisionId: '' });
    lambda.alias.version = '12'; // someone else moves it; no RevisionId tells
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/rollbacks',
      payload: {
        deployId: 'd1',
        kind: 'lambda',
        target: backend,
        confirmation: backend,
        expectedRevisionId: seen.revisionId,
        expectedVersion: seen.currentVersion,
      },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'ChangedSincePreview' } });
    expect(lambda.alias).toMatchObject({ version: '12', updates: 0 });
  });

  it('a release that went out before the deploy was prepared: the default target is the version before the live one', async () => {
    // The baseline recorded the live version (14): offering it would be a rollback that changes nothing.
    const lambda = fakeLambda('14');
    app = await rollbacksAlone(lambda.client, {
      ...baseline,
      aliases: [{ functionName: backend, alias: 'live', version: '14' }],
    });
    const overview = (await app.inject({ url: '/api/v1/rollbacks' })).json<{ targets: unknown[] }>();
    expect(overview.targets).toEqual([
      expect.objectContaining({
        kind: 'lambda',
        target: backend,
        label: 'live -> 13',
        lambda: expect.objectContaining({ liveVersion: '14', baselineVersion: '14', defaultVersion: '13' }),
      }),
    ]);
    const preview = await app.inject({
      method: 'POST',
      url: '/api/v1/rollbacks/preview',
      payload: { deployId: 'd1', kind: 'lambda', target: backend },
    });
    expect(preview.json()).toMatchObject({ current: 'live -> 14', desired: 'live -> 13', blocked: null });
    // Any published version can be chosen; the live one and an unpublished one are shown, not startable.
    const older = await app.inject({
      method: 'POST',
      url: '/api/v1/rollbacks/preview',
      payload: { deployId: 'd1', kind: 'lambda', target: backend, version: '9' },
    });
    expect(older.json()).toMatchObject({ desired: 'live -> 9', blocked: null });
    const live = await app.inject({
      method: 'POST',
      url: '/api/v1/rollbacks/preview',
      payload: { deployId: 'd1', kind: 'lambda', target: backend, version: '14' },
    });
    expect(live.json<{ blocked: string }>().blocked).toMatch(
      /already points to version 14, the live version/,
    );
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/rollbacks/preview',
      payload: { deployId: 'd1', kind: 'lambda', target: backend, version: '99' },
    });
    expect(unknown.json<{ blocked: string }>().blocked).toMatch(/Version 99 is not a published version/);
  });

  it('a job whose UpdateAlias is abandoned by a shutdown stays running, to resume on the next start', async () => {
    const lambda = fakeLambda('14');
    const answer = lambda.client.send.bind(lambda.client);
    // What the platform does to every AWS call in flight when Flightdeck stops.
    lambda.client.send = (async (command: { constructor: { name: string } }) => {
      if (command.constructor.name === 'UpdateAliasCommand') throw new StoppingError();
      return answer(command as never);
    }) as never;
    const repository = new MemoryRollbackRepository();
    app = await rollbacksAlone(lambda.client, baseline, repository);
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/rollbacks',
      headers: { 'idempotency-key': 'module-test-stop' },
      payload: { deployId: 'd1', kind: 'lambda', target: backend, confirmation: backend },
    });
    expect(started.statusCode).toBe(202);
    const id = started.json<{ id: string }>().id;
    // Stopping waits for the job's run to end.
    await app.close();
    app = null;
    const { job } = (await repository.get(id))!;
    expect(job.state).toBe('running');
    expect(job.steps.find((s) => s.name === 'update alias')?.state).toBe('running');
    expect(lambda.alias.updates).toBe(0);
  });
});
