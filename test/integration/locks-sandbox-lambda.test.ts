import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseLocks, DeployDetail } from '@flightdeck/contracts';
import { buildTestApp, waitFor, type TestApp } from '@flightdeck/bff/testing';
import { openEventStreamClient } from '@flightdeck/bff/testing/event-stream-client';
import { storyNames } from '@flightdeck/sandbox';

/**
 * Evidence 3: the lock poll through the read-only SQL Lambda (`database.via: lambda`) on the
 * sandbox. The demo database is one PGlite backend, so the worker's open transaction is one of
 * the sandbox's simulated sessions, answered by the same query the BFF sends to a real server.
 */
describe('locks through the SQL Lambda (sandbox)', () => {
  let app: TestApp;
  let deployId: string;

  const detail = async () => (await app.get<DeployDetail>(`/api/v1/deploys/${deployId}`)).body;
  const lockItem = (d: DeployDetail) => d.checklist.find((i) => i.id === 'no-lock-blockers')!;
  const evaluateUntil = (check: (d: DeployDetail) => boolean) =>
    waitFor(async () => {
      await app.deploys!.evaluator.evaluateNow();
      const d = await detail();
      return check(d) ? d : undefined;
    }, 20_000);

  beforeAll(async () => {
    app = await buildTestApp({
      database: { via: 'lambda', sqlFunction: storyNames.sqlFunction },
      deploys: { evaluateMs: 3_600_000, lockBlockerSeconds: 1 },
      locks: { readyIntervalMs: 300, migratingIntervalMs: 300, idleIntervalMs: 300 },
      auth: { mutationsPerMinute: 1_000_000 },
    });
    // Prepare records the aliases' versions: wait for their first answer.
    await waitFor(async () =>
      (await app.get<any>('/api/v1/overview')).body.sources.lambda.data ? true : undefined,
    );
    const response = await fetch(`${app.url}/api/v1/deploys`, {
      method: 'POST',
      headers: {
        ...(await app.signIn('ops')),
        'content-type': 'application/json',
        'idempotency-key': 'locks-lambda-prepare',
      },
      body: '{}',
    });
    expect(response.status).toBe(201);
    deployId = ((await response.json()) as { id: string }).id;
  }, 90_000);
  afterAll(async () => {
    await app?.close();
  });

  it('a long transaction opened in the sandbox is a NO-GO reason, read through Lambda Invoke; ending it passes', async () => {
    await app.control('DELETE', 'calls');
    // Viewers get each lock view on the overview's event stream while the deploy is before its migration.
    const stream = await openEventStreamClient(`${app.url}/api/v1/events`, {
      headers: await app.signIn('viewer'),
    });
    const opened = await app.control('POST', 'db/long-transaction', { table: 'providers', seconds: 600 });
    expect(opened).toMatchObject({ table: 'providers' });
    const failing = await evaluateUntil((d) => lockItem(d).state === 'fail');
    expect(lockItem(failing).evidence?.value).toMatch(
      /^providers: 1 session in a transaction open \d+ s \(credmate worker, idle in transaction\) would block ALTER TABLE/,
    );
    const live = await stream.waitFor(
      (e) => e.event === 'locks' && /^providers: 1 session/.test(JSON.parse(e.data).data?.noGo?.[0] ?? ''),
      10_000,
    );
    expect(JSON.parse(live.data)).toMatchObject({ error: null, intervalMs: 300 });
    stream.close();
    const locks = (await app.get<DatabaseLocks>('/api/v1/database/locks')).body;
    expect(locks.locks.data?.blockers[0]?.session).toMatchObject({
      application: 'credmate worker',
      query: 'SELECT * FROM providers WHERE id = 1 FOR UPDATE',
    });
    // The poll went through the SQL function, not a direct connection.
    const calls = (await app.control('GET', 'calls')) as Record<string, Record<string, number>>;
    expect(JSON.stringify(calls)).toMatch(/Invoke/);

    await app.control('DELETE', 'db/long-transaction');
    const passing = await evaluateUntil((d) => lockItem(d).state === 'pass');
    expect(lockItem(passing).evidence?.value).toMatch(/^no blocking transaction/);
  });

  it('refuses a long transaction on a table the demo database lacks, changing nothing', async () => {
    const response = await fetch(`${app.sandbox!.awsEndpoint}/_sandbox/db/long-transaction`, {
      method: 'POST',
      body: JSON.stringify({ table: 'no_such_table', seconds: 60 }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'UnknownTable' } });
  });
});
