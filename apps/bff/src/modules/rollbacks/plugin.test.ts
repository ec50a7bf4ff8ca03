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

const baseline: DeployBaseline = {
  databaseRevision: '20260115_0200',
  codeHead: '20260131_0000',
  aliases: [{ functionName: backend, alias: 'live', version: '13' }],
  frontendRef: null,
  snapshot: null,
};

/** A Lambda alias that answers GetAlias and UpdateAlias (guarded by RevisionId), counting updates. */
function fakeLambda(start: string) {
  const alias = { version: start, revision: 1, updates: 0 };
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, string> }) {
      if (command.constructor.name === 'GetAliasCommand')
        return { FunctionVersion: alias.version, RevisionId: `rev-${alias.revision}` };
      if (command.constructor.name === 'UpdateAliasCommand') {
        if (command.input.RevisionId !== `rev-${alias.revision}`)
          throw Object.assign(new Error('revision changed'), { name: 'PreconditionFailedException' });
        alias.updates++;
        alias.version = command.input.FunctionVersion!;
        alias.revision++;
        return {};
      }
      throw new Error(`the fake Lambda does not answer ${command.constructor.name}`);
    },
  };
  return { alias, client: client as unknown as LambdaClient };
}

async function rollbacksAlone(
  lambda: LambdaClient,
  repository = new MemoryRollbackRepository(),
): Promise<FastifyInstance> {
  const app = Fastify();
  answerErrors(app);
  const config = parseConfig({ alembic: { versionsDir } });
  const duties: string[] = [];
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
      metrics: { state: { data: null } },
    },
    refreshAll: async () => undefined,
  } as never);
  app.decorate('deploys', {
    baselines: () => ({
      get: async (id: string) => (id === 'd1' ? { id, environment: 'production', baseline } : null),
      current: async () => ({ id: 'd1', environment: 'production', baseline }),
    }),
  } as never);
  // Stand-ins for the plugins it depends on: their decorators are the fakes above.
  for (const name of ['flightdeck-platform', 'flightdeck-overview', 'flightdeck-deploys'])
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
    });
  });

  it('previews the exact UpdateAlias call, then rolls the alias back once and verifies it', async () => {
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
      .toBe('succeeded');
    expect(lambda.alias).toMatchObject({ version: '13', updates: 1 });
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
    const alreadyThere = await app.inject({
      method: 'POST',
      url: '/api/v1/rollbacks',
      payload: { deployId: 'd1', kind: 'lambda', target: backend, confirmation: backend },
    });
    expect(alreadyThere.statusCode).toBe(409);
    expect(alreadyThere.json()).toMatchObject({
      error: { code: 'NothingToDo', inTheWay: { current: 'live -> 13', desired: 'live -> 13' } },
    });
    expect(lambda.alias.updates).toBe(0);
    expect((await app.inject({ url: '/api/v1/rollbacks/none' })).statusCode).toBe(404);
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
    app = await rollbacksAlone(lambda.client, repository);
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
