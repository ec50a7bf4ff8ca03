// A deploy's event stream (what `flightdeck deploy wait` follows): its detail at once, then each
// change, whether the evaluator or a person made it; a deploy that does not exist is 404.
import { randomUUID } from 'node:crypto';
import type { Deploy, DeployDetail } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';
import { openEventStreamClient, type EventStreamClient } from '../../testing/event-stream-client.js';

describe('a deploy’s event stream', () => {
  let app: TestApp;
  let stream: EventStreamClient | null = null;

  beforeAll(async () => {
    app = await buildTestApp({
      deploys: { evaluateMs: 3_600_000 },
      auth: { mutationsPerMinute: 1_000_000 },
    });
  }, 60_000);
  afterAll(async () => {
    stream?.close();
    await app?.close();
  });

  const post = async (role: 'ops' | 'lead', path: string, body: unknown) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: {
        ...(await app.signIn(role)),
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(body),
    });
  const details = () =>
    stream!.events.filter((e) => e.event === 'deploy').map((e) => JSON.parse(e.data) as DeployDetail);

  it('sends the deploy now, then each change: the evaluator’s and a sign-off', async () => {
    await waitFor(async () =>
      (await app.get<{ sources: { lambda: { data: unknown } } }>('/api/v1/overview')).body.sources.lambda.data
        ? true
        : undefined,
    );
    const prepared = await post('ops', '/api/v1/deploys', { release: { name: 'v2.14.0' } });
    expect(prepared.status).toBe(201);
    const { id } = (await prepared.json()) as Deploy;

    const viewer = await app.signIn('viewer');
    stream = await openEventStreamClient(`${app.url}/api/v1/deploys/${id}/events`, {
      headers: { cookie: viewer.cookie! },
    });
    expect(stream.status).toBe(200);
    await stream.waitFor((e) => e.event === 'deploy');
    expect(details()[0]!.deploy).toMatchObject({ id, phase: 'preparing' });

    // The evaluator sees the snapshot available: the follower is told, without asking again.
    await app.control('POST', 'clock/advance', { seconds: 61 });
    await waitFor(async () => {
      await app.deploys!.evaluator.evaluateNow();
      return details().some((d) => d.deploy.phase === 'ready') ? true : undefined;
    }, 20_000);

    expect(
      (await post('lead', `/api/v1/deploys/${id}/items/frontend-commit/sign-off`, { comment: 'tagged' }))
        .status,
    ).toBe(200);
    const signed = await stream.waitFor((e) => {
      if (e.event !== 'deploy') return false;
      const d = JSON.parse(e.data) as DeployDetail;
      return d.checklist.find((i) => i.id === 'frontend-commit')?.state === 'signed-off';
    });
    expect(JSON.parse(signed.data)).toMatchObject({ deploy: { id, phase: 'ready' } });
    // Told on change only: no two frames in a row say the same.
    const frames = stream.events.filter((e) => e.event === 'deploy').map((e) => e.data);
    for (let i = 1; i < frames.length; i++) expect(frames[i]).not.toBe(frames[i - 1]);
  }, 60_000);

  it('is 404 for a deploy that does not exist, and needs a signed-in person', async () => {
    const viewer = await app.signIn('viewer');
    const missing = await fetch(`${app.url}/api/v1/deploys/production-nope/events`, { headers: viewer });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe(
      'No deploy production-nope.',
    );
    const anonymous = await fetch(`${app.url}/api/v1/deploys/production-nope/events`);
    expect([401, 403]).toContain(anonymous.status);
  });
});
