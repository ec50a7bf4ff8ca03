import { GetAliasCommand, LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import type { Deploy, DeployDetail } from '@flightdeck/contracts';
import { storyNames } from '@flightdeck/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';

/** A release without migrations whose pipeline never calls Flightdeck: the alias moving says it went out. */
describe('a release without migrations, seen going out', () => {
  let app: TestApp;
  let lambda: LambdaClient;

  beforeAll(async () => {
    app = await buildTestApp({ deploys: { evaluateMs: 3_600_000 } });
    lambda = new LambdaClient({
      endpoint: app.sandbox!.awsEndpoint,
      region: app.sandbox!.region,
      credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
      maxAttempts: 1,
    });
    // The database is already at the code's head: the next release applies no migration.
    await app.control('POST', 'migrations/apply');
    await waitFor(async () => {
      const alembic = (await app.get<any>('/api/v1/overview')).body.sources.alembic.data;
      return alembic &&
        alembic.pending.length === 0 &&
        (await app.get<any>('/api/v1/overview')).body.sources.lambda.data
        ? true
        : undefined;
    }, 20_000);
  }, 60_000);
  afterAll(async () => {
    lambda?.destroy();
    await app?.close();
  });

  it('moves to verifying, its watch started, when an alias moves to another version', async () => {
    const response = await fetch(`${app.url}/api/v1/deploys`, {
      method: 'POST',
      headers: {
        ...(await app.signIn('ops')),
        'content-type': 'application/json',
        'idempotency-key': 'seen-prepare',
      },
      body: JSON.stringify({ release: { name: 'v2.14.2' } }),
    });
    expect(response.status).toBe(201);
    const deploy = (await response.json()) as Deploy;
    expect(deploy.pendingAtPrepare).toEqual([]);
    const detail = () => app.get<DeployDetail>(`/api/v1/deploys/${deploy.id}`).then((r) => r.body);
    const evaluateUntil = (check: (d: DeployDetail) => boolean) =>
      waitFor(async () => {
        await app.deploys!.evaluator.evaluateNow();
        const d = await detail();
        return check(d) ? d : undefined;
      }, 20_000);
    await app.control('POST', 'clock/advance', { seconds: 61 });
    await evaluateUntil((d) => d.deploy.phase === 'ready');

    const backend = storyNames.backendFunction;
    const before = await lambda.send(new GetAliasCommand({ FunctionName: backend, Name: 'prod' }));
    const next = String(Number(before.FunctionVersion) - 1);
    await lambda.send(new UpdateAliasCommand({ FunctionName: backend, Name: 'prod', FunctionVersion: next }));
    const seen = await evaluateUntil((d) => d.deploy.phase !== 'ready');
    expect(seen.deploy).toMatchObject({ phase: 'verifying', releasedAt: expect.any(String) });
    expect(seen.deploy.watchStartedAt).toBe(seen.deploy.releasedAt);
    // The move is on the record too (an alias change seen in the live data), after the transition.
    expect(seen.timeline.find((e) => e.details.seen === 'release-seen')).toMatchObject({
      kind: 'phase-verifying',
      message: `Released: ${backend}:prod ${before.FunctionVersion} → ${next}`,
      details: { by: 'flightdeck', seen: 'release-seen' },
    });
  }, 60_000);
});
