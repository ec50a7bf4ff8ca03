// Rollbacks over HTTP against the sandbox: exactly once, never over someone else's change,
// ops only, and the RDS restore followed until available with one restore call.
import { randomUUID } from 'node:crypto';
import { GetAliasCommand, LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import type { RollbackJob, RollbackPlan } from '@flightdeck/contracts';
import type { CallCounts } from '@flightdeck/sandbox';
import { storyNames } from '@flightdeck/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storyDeployId } from './story-deploy.js';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';

let app: TestApp;
let ops: Record<string, string>;
let viewer: Record<string, string>;
let lambda: LambdaClient;
const backend = storyNames.backendFunction;
const worker = 'credmate-lambda-prod-WorkerFunction-kUrV3g9tgWot';

beforeAll(async () => {
  app = await buildTestApp({
    auth: { mutationsPerMinute: 1_000_000 },
    rollbacks: {
      pollMs: 100,
      frontend: {
        name: 'credmate-frontend',
        // An argument list: "; echo" and "$(…)" reach the program as text, never a shell.
        command: [
          process.execPath,
          '-e',
          'console.log("deploying " + process.argv.slice(1).join(" "))',
          '{ref}',
          '$(echo injected); echo',
        ],
      },
    },
  });
  ops = await app.signIn('ops');
  viewer = await app.signIn('viewer');
  lambda = new LambdaClient({
    endpoint: app.sandbox!.awsEndpoint,
    region: app.sandbox!.region,
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    maxAttempts: 1,
  });
}, 60_000);

afterAll(async () => {
  lambda?.destroy();
  await app?.close();
});

beforeEach(async () => {
  await app.control('POST', 'reset');
});

async function post<T>(path: string, body: unknown, as = ops, key: string = randomUUID()) {
  const response = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { ...as, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

const calls = () => app.control<CallCounts>('GET', 'calls');
const aliasVersion = async (fn: string) =>
  (await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'prod' }))).FunctionVersion;

describe('Lambda rollback', () => {
  it('previews the exact call: UpdateAlias with the RevisionId, current -> baseline, and the safe order', async () => {
    const { status, body } = await post<RollbackPlan>('/api/v1/rollbacks/preview', {
      deployId: storyDeployId,
      kind: 'lambda',
      target: backend,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      current: 'prod -> 14',
      desired: 'prod -> 13',
      confirmationText: backend,
      blocked: null,
      order: { order: 'alias-alone' },
      calls: [
        {
          service: 'Lambda',
          operation: 'UpdateAlias',
          parameters: { FunctionName: backend, Name: 'prod', FunctionVersion: '13' },
        },
      ],
    });
    expect(body.calls[0]!.parameters.RevisionId).toBe(body.revisionId);
  });

  it('50 concurrent identical requests: one job, one UpdateAlias, every answer names the job', async () => {
    await app.control('DELETE', 'calls');
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        post<RollbackJob>('/api/v1/rollbacks', {
          deployId: storyDeployId,
          kind: 'lambda',
          target: backend,
          confirmation: backend,
        }),
      ),
    );
    expect(
      answers.map((a) => a.status).sort(),
      JSON.stringify(answers.filter((a) => a.status !== 200).map((a) => [a.status, a.body])),
    ).toEqual([...Array(49).fill(200), 202]);
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    const id = [...ids][0]!;
    // The alias is back; the job verifies until a minute of traffic follows the change.
    const done = await waitFor(async () => {
      const job = (await app.get<RollbackJob>(`/api/v1/rollbacks/${id}`)).body;
      return job.state !== 'pending' && job.state !== 'running' ? job : undefined;
    });
    expect(done.state).toBe('verifying');
    expect(done.verification).toEqual([
      expect.objectContaining({ check: 'alias', ok: true, detail: expect.stringContaining('version 13') }),
      expect.objectContaining({ check: 'error rate' }),
    ]);
    expect((await calls()).byOperation['Lambda.UpdateAlias']).toBe(1);
    expect(await aliasVersion(backend)).toBe('13');
  });

  it('verifies a Lambda rollback by the error rate too: pending, then fallen once the minutes come in', async () => {
    // Before the migration the story's new version fails on the missing tables; version 13 does not.
    const started = await post<RollbackJob>('/api/v1/rollbacks', {
      deployId: storyDeployId,
      kind: 'lambda',
      target: backend,
      confirmation: backend,
    });
    const id = started.body.id;
    const errorRate = async () => {
      const job = (await app.get<RollbackJob>(`/api/v1/rollbacks/${id}`)).body;
      return job.state === 'verifying' || job.state === 'succeeded'
        ? { state: job.state, ...job.verification.find((v) => v.check === 'error rate') }
        : undefined;
    };
    expect(await waitFor(errorRate)).toMatchObject({ state: 'verifying', ok: false, pending: true });
    // Three minutes of traffic on the baseline version, read by the metrics collector.
    await app.control('POST', 'clock/advance', { seconds: 180 });
    await app.app.sources.refreshAll();
    const settled = await waitFor(async () => {
      const check = await errorRate();
      return check && !check.pending ? check : undefined;
    });
    expect(settled.ok).toBe(true);
    // Verified: the job's own state says so, and the verdict is kept with it.
    expect(settled.state).toBe('succeeded');
    expect(settled.detail).toMatch(
      /^Error rate fell: \d+\.\d\d % in the 10 min before → 0\.00 % in the \d+ min since$/,
    );
  });

  it('the alias changed by someone else after the preview: 409 with what changed, nothing overwritten', async () => {
    const preview = await post<RollbackPlan>('/api/v1/rollbacks/preview', {
      deployId: storyDeployId,
      kind: 'lambda',
      target: worker,
    });
    expect(preview.status).toBe(200);
    // Someone else moves the alias (to version 7) between the preview and the click.
    await lambda.send(new UpdateAliasCommand({ FunctionName: worker, Name: 'prod', FunctionVersion: '7' }));
    await app.control('DELETE', 'calls');
    const refused = await post<{
      error: { code: string; message: string; inTheWay: Record<string, unknown> };
    }>('/api/v1/rollbacks', {
      deployId: storyDeployId,
      kind: 'lambda',
      target: worker,
      confirmation: worker,
      expectedRevisionId: preview.body.revisionId,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('ChangedSincePreview');
    expect(refused.body.error.message).toMatch(/now points to 7/);
    expect(refused.body.error.inTheWay).toMatchObject({
      previewRevisionId: preview.body.revisionId,
      currentVersion: '7',
    });
    expect((await calls()).byOperation['Lambda.UpdateAlias']).toBeUndefined();
    expect(await aliasVersion(worker)).toBe('7');
  });

  it('an endpoint that ignores RevisionId: the version the preview showed still guards the alias (409)', async () => {
    // As some emulators and proxies do: UpdateAlias overwrites whatever RevisionId it is sent.
    await app.control('POST', 'faults', {
      service: 'Lambda',
      operation: 'UpdateAlias',
      kind: 'ignore-revision-id',
    });
    const preview = await post<RollbackPlan>('/api/v1/rollbacks/preview', {
      deployId: storyDeployId,
      kind: 'lambda',
      target: worker,
    });
    expect(preview.body.currentVersion).toBeDefined();
    await lambda.send(new UpdateAliasCommand({ FunctionName: worker, Name: 'prod', FunctionVersion: '7' }));
    await app.control('DELETE', 'calls');
    const refused = await post<{ error: { code: string; inTheWay: Record<string, unknown> } }>(
      '/api/v1/rollbacks',
      {
        deployId: storyDeployId,
        kind: 'lambda',
        target: worker,
        confirmation: worker,
        expectedVersion: preview.body.currentVersion,
      },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'ChangedSincePreview',
      inTheWay: { previewVersion: preview.body.currentVersion, currentVersion: '7' },
    });
    expect((await calls()).byOperation['Lambda.UpdateAlias']).toBeUndefined();
    expect(await aliasVersion(worker)).toBe('7');
    await app.control('DELETE', 'faults');
  });

  it('refuses a wrong confirmation (400) and a viewer (403), and starts nothing', async () => {
    await app.control('DELETE', 'calls');
    const body = { deployId: storyDeployId, kind: 'lambda', target: backend, confirmation: 'credmate' };
    const wrong = await post<{ error: { code: string; message: string } }>('/api/v1/rollbacks', body);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain(backend);
    const asViewer = await post('/api/v1/rollbacks', { ...body, confirmation: backend }, viewer);
    expect(asViewer.status).toBe(403);
    const unknownDeploy = await post<{ error: { code: string } }>('/api/v1/rollbacks', {
      ...body,
      deployId: 'no-such-deploy',
      confirmation: backend,
    });
    expect(unknownDeploy.status).toBe(404);
    expect((await calls()).byOperation['Lambda.UpdateAlias']).toBeUndefined();
    expect(await aliasVersion(backend)).toBe('14');
  });
});

describe('Frontend rollback', () => {
  it('runs the configured argument list with the baseline tag and keeps its output', async () => {
    const started = await post<RollbackJob>('/api/v1/rollbacks', {
      deployId: storyDeployId,
      kind: 'frontend',
      target: 'credmate-frontend',
      confirmation: 'credmate-frontend',
    });
    expect(started.status).toBe(202);
    const done = await waitFor(async () => {
      const j = (await app.get<RollbackJob>(`/api/v1/rollbacks/${started.body.id}`)).body;
      return j.state === 'succeeded' || j.state === 'failed' ? j : undefined;
    });
    expect(done.state).toBe('succeeded');
    expect(done.output).toEqual(['deploying frontend-v2026.02.02 $(echo injected); echo']);
    expect(done.verification[0]).toMatchObject({ check: 'redeploy', ok: true });
  });
});

describe('RDS rollback', () => {
  it('previews the real instance name and the data it loses; restores once; waits for the cut-over, then succeeds', async () => {
    await app.control('DELETE', 'calls');
    const target = { deployId: storyDeployId, kind: 'rds', target: storyNames.dbInstance };
    const preview = await post<RollbackPlan>('/api/v1/rollbacks/preview', target);
    expect(preview.status).toBe(200);
    const plan = preview.body;
    const restoredName = (plan.calls[0]!.parameters as { DBInstanceIdentifier: string }).DBInstanceIdentifier;
    expect(restoredName).toMatch(new RegExp(`^${storyNames.dbInstance}-restored-[0-9a-f]{8}$`));
    expect(restoredName.endsWith(plan.jobId!.slice(0, 8))).toBe(true);
    // The data-loss window: the snapshot's own time, as RDS reports it.
    expect(plan.warnings![0]).toMatch(
      /^Writes made after \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, the snapshot's time, are not in the restored instance/,
    );
    expect(plan.warnings![1]).toContain(`creates ${restoredName} beside it`);

    const started = await post<RollbackJob>('/api/v1/rollbacks', {
      ...target,
      confirmation: storyNames.dbInstance,
      jobId: plan.jobId,
    });
    expect(started.status).toBe(202);
    // The job is the one previewed: the instance it creates is the name shown.
    expect(started.body.id).toBe(plan.jobId);
    expect(started.body.plan.calls[0]!.parameters).toMatchObject({
      DBInstanceIdentifier: restoredName,
      DBSnapshotIdentifier: storyNames.snapshot,
      DBInstanceClass: 'db.t3.medium',
      DBSubnetGroupName: 'credmate-prod-private',
      VpcSecurityGroupIds: ['sg-0c1d2e3f4a5b6c7d8'],
      DBParameterGroupName: 'default.postgres15',
    });
    const id = started.body.id;
    const job = () => app.get<RollbackJob>(`/api/v1/rollbacks/${id}`).then((r) => r.body);
    await waitFor(async () => ((await job()).steps[2]!.detail === 'creating' ? true : undefined));
    await app.control('POST', 'clock/advance', { seconds: 16 * 60 });
    const restored = await waitFor(async () => {
      const j = await job();
      return j.state === 'cut-over-pending' || j.state === 'failed' ? j : undefined;
    });
    // Available, but production still runs on the old instance: not done yet.
    expect(restored.state).toBe('cut-over-pending');
    expect(restored.steps[0]!.detail).toBe(
      `class, subnet group, security groups, parameter group of ${storyNames.dbInstance} carried to ${restoredName}`,
    );
    expect(restored.verification[0]).toMatchObject({ check: 'instance', ok: true });
    expect(restored.cutOver.length).toBeGreaterThan(0);
    expect((await calls()).byOperation['RDS.RestoreDBInstanceFromDBSnapshot']).toBe(1);

    // A viewer cannot mark it; ops can, once.
    const asViewer = await fetch(`${app.url}/api/v1/rollbacks/${id}/cut-over`, {
      method: 'POST',
      headers: { ...viewer, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: '{}',
    });
    expect(asViewer.status).toBe(403);
    const marked = await post<RollbackJob>(`/api/v1/rollbacks/${id}/cut-over`, {});
    expect(marked.status).toBe(200);
    expect(marked.body.state).toBe('succeeded');
    expect(marked.body.verification.at(-1)).toMatchObject({ check: 'cut-over', ok: true });
    const again = await post<{ error: { code: string } }>(`/api/v1/rollbacks/${id}/cut-over`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('NoCutOverPending');
    // A preview's id cannot be used twice.
    const reused = await post<{ error: { code: string } }>('/api/v1/rollbacks', {
      ...target,
      confirmation: storyNames.dbInstance,
      jobId: plan.jobId,
    });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('JobIdUsed');
  });
});
