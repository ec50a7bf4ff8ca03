// Webhooks against a real local HTTP receiver: each event once and in order, signatures that
// verify, retries with their attempts recorded, refusals not retried, a hanging receiver that
// holds up nothing else, and an outbox row left by a killed BFF sent once after the restart.
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  Delivery,
  DeliveryList,
  DeployDetail,
  NotificationEvent,
  RollbackJob,
} from '@flightdeck/contracts';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../index.js';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';
import type { NotificationTables } from './store/notification-tables.js';
import { enqueue } from './store/outbox.js';
import { WebhookSender } from './webhook-sender.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver that answers per path: ok, flaky (500 three times, then 200), gone (404), hang. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  let flaky = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (path === '/hang') return void hanging.add(response);
      if (path === '/gone') return void response.writeHead(404).end('no such hook');
      if (path === '/flaky' && flaky++ < 3) return void response.writeHead(500).end('try later');
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: async () => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const secretEnv = 'FLIGHTDECK_TEST_WEBHOOK_SECRET';
const secret = 'a-signing-secret-for-the-test';

describe('webhook notifications (a real local receiver)', () => {
  let app: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    process.env[secretEnv] = secret;
    app = await buildTestApp({
      auth: { mutationsPerMinute: 1_000 },
      rollbacks: { pollMs: 100 },
      server: { port: 0, logLevel: 'warn', publicUrl: 'https://flightdeck.example.com' },
      notifications: {
        webhooks: [
          { name: 'pipeline', url: `${receiver.url}/ok`, events: ['rollback.*'], format: 'json', secretEnv },
          { name: 'flaky', url: `${receiver.url}/flaky`, events: ['rollback.started'] },
          { name: 'gone', url: `${receiver.url}/gone`, events: ['rollback.started'] },
          { name: 'hanging', url: `${receiver.url}/hang`, events: ['rollback.*'] },
          { name: 'chat', url: `${receiver.url}/slack`, events: ['*'], format: 'slack' },
        ],
        retryBaseSeconds: 0.05,
        timeoutSeconds: 0.5,
        pollMs: 50,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    delete process.env[secretEnv];
  });

  const deliveries = async () =>
    (await app.get<DeliveryList>('/api/v1/notifications', 'ops')).body.deliveries;
  const byWebhook = (list: Delivery[], name: string, type: string) =>
    list.find((d) => d.webhook === name && d.type === type);

  it('tells every webhook of a rollback, once each and in order, signed, without waiting for slow ones', async () => {
    const ops = await app.signIn('ops');
    const backend = app.config.functions[0]!.name;
    const response = await fetch(`${app.url}/api/v1/rollbacks`, {
      method: 'POST',
      headers: { ...ops, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        deployId: 'story-2026-02-03',
        kind: 'lambda',
        target: backend,
        confirmation: backend,
      }),
    });
    expect(response.status).toBe(202);
    const job = (await response.json()) as RollbackJob;

    // The job is finished once verified: a minute of traffic after the change shows the error rate.
    await waitFor(async () => {
      const now = await app.get<RollbackJob>(`/api/v1/rollbacks/${job.id}`);
      return now.body.state === 'verifying' ? true : undefined;
    }, 20_000);
    await app.control('POST', 'clock/advance', { seconds: 180 });
    await app.app.sources.refreshAll();
    // The pipeline's receiver gets both events while the hanging one is still being tried.
    const pipeline = await waitFor(() => {
      const got = receiver.received.filter((r) => r.path === '/ok');
      return got.length >= 2 ? got : undefined;
    }, 20_000);
    const events = pipeline.map((r) => JSON.parse(r.body) as NotificationEvent);
    expect(events.map((e) => e.type)).toEqual(['rollback.started', 'rollback.finished']);
    expect(events[0]).toMatchObject({
      environment: 'production',
      deployId: 'story-2026-02-03',
      url: `https://flightdeck.example.com/rollbacks/${job.id}`,
      data: { job: job.id, kind: 'lambda', target: backend },
    });
    for (const r of pipeline) {
      const timestamp = r.headers['x-flightdeck-timestamp'] as string;
      const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex')}`;
      expect(r.headers['x-flightdeck-signature']).toBe(expected);
      expect(r.headers['x-flightdeck-event']).toBe((JSON.parse(r.body) as NotificationEvent).type);
      expect(r.headers['x-flightdeck-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    }
    // Unsigned where no secret is named; Slack gets a message it accepts.
    const slack = await waitFor(() => receiver.received.find((r) => r.path === '/slack'));
    expect(slack.headers['x-flightdeck-signature']).toBeUndefined();
    expect(JSON.parse(slack.body)).toMatchObject({
      text: expect.stringMatching(/^\[production\] Rollback of /),
      blocks: expect.arrayContaining([expect.objectContaining({ type: 'section' })]),
    });
    // Nothing went twice to the pipeline.
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received.filter((r) => r.path === '/ok')).toHaveLength(2);
  });

  it('retries a 500 until the receiver takes it, and records each attempt', async () => {
    const flaky = await waitFor(async () => {
      const d = byWebhook(await deliveries(), 'flaky', 'rollback.started');
      return d?.state === 'sent' ? d : undefined;
    }, 20_000);
    expect(flaky.attempts.map((a) => a.status)).toEqual([500, 500, 500, 200]);
    expect(flaky.attempts[0]!.error).toBe('The receiver answered 500.');
    expect(receiver.received.filter((r) => r.path === '/flaky')).toHaveLength(4);
  });

  it('does not retry a receiver that refuses (404); a hanging one times out and is retried', async () => {
    const gone = await waitFor(async () => {
      const d = byWebhook(await deliveries(), 'gone', 'rollback.started');
      return d?.state === 'failed' ? d : undefined;
    });
    expect(gone.attempts.map((a) => a.status)).toEqual([404]);
    const hanging = await waitFor(async () => {
      const d = byWebhook(await deliveries(), 'hanging', 'rollback.started');
      return d && d.attempts.length >= 2 ? d : undefined;
    }, 20_000);
    expect(hanging.attempts[0]).toMatchObject({ status: null, error: 'No answer within 500 ms.' });
  });

  it('shows webhooks by host only, never a secret, and resends a delivery as a new one', async () => {
    const page = (await app.get<DeliveryList>('/api/v1/notifications', 'ops')).body;
    const text = JSON.stringify(page);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('/flaky');
    expect(page.webhooks.find((w) => w.name === 'pipeline')!.target).toBe(`${receiver.url}/…`);
    expect((await app.get('/api/v1/notifications', 'lead')).status).toBe(403);

    const gone = byWebhook(page.deliveries, 'gone', 'rollback.started')!;
    const ops = await app.signIn('ops');
    const resent = await fetch(`${app.url}/api/v1/notifications/${gone.id}/resend`, {
      method: 'POST',
      headers: { ...ops, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: '{}',
    });
    expect(resent.status).toBe(201);
    const { id } = (await resent.json()) as { id: string };
    await waitFor(async () =>
      (await deliveries()).find((d) => d.id === id)?.attempts.length ? true : undefined,
    );
    expect(receiver.received.filter((r) => r.path === '/gone')).toHaveLength(2);
  });
});

describe('deploy events of a played story (a real local receiver)', () => {
  let app: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    process.env[secretEnv] = secret;
    app = await buildTestApp({
      // The test drives the evaluator (evaluateNow), as the leader's interval would.
      deploys: { evaluateMs: 3_600_000, p99TolerancePercent: 500 },
      auth: { mutationsPerMinute: 1_000_000 },
      server: { port: 0, logLevel: 'warn', publicUrl: 'https://flightdeck.example.com' },
      notifications: {
        webhooks: [
          { name: 'pipeline', url: `${receiver.url}/ok`, events: ['deploy.*'], format: 'json', secretEnv },
          { name: 'chat', url: `${receiver.url}/slack`, events: ['*'], format: 'slack' },
        ],
        retryBaseSeconds: 0.05,
        pollMs: 50,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    delete process.env[secretEnv];
  });

  const change = async (role: 'ops' | 'lead', path: string, body: unknown = {}) => {
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: {
        ...(await app.signIn(role)),
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as DeployDetail };
  };
  const evaluateUntil = (id: string, check: (d: DeployDetail) => boolean) =>
    waitFor(async () => {
      await app.deploys!.evaluator.evaluateNow();
      const d = (await app.get<DeployDetail>(`/api/v1/deploys/${id}`)).body;
      return check(d) ? d : undefined;
    }, 20_000);

  it('tells each deploy event once, in order, signed, with Slack messages linking the deploy', async () => {
    await waitFor(async () =>
      (await app.get<{ sources: { lambda: { data: unknown } } }>('/api/v1/overview')).body.sources.lambda.data
        ? true
        : undefined,
    );
    const prepared = await fetch(`${app.url}/api/v1/deploys`, {
      method: 'POST',
      headers: {
        ...(await app.signIn('ops')),
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ release: { name: 'v2.14.0' } }),
    });
    expect(prepared.status).toBe(201);
    const id = ((await prepared.json()) as { id: string }).id;
    const items = `/api/v1/deploys/${id}/items`;

    await app.control('POST', 'clock/advance', { seconds: 61 });
    await evaluateUntil(id, (d) => d.deploy.phase === 'ready');
    for (const item of ['frontend-commit', 'rollback-procedures'])
      expect((await change('lead', `${items}/${item}/sign-off`, { comment: `checked ${item}` })).status).toBe(
        200,
      );
    expect((await change('lead', `${items}/rollback-procedures/revoke`, { reason: 'reread' })).status).toBe(
      200,
    );
    expect((await change('lead', `${items}/rollback-procedures/sign-off`, { comment: 'again' })).status).toBe(
      200,
    );
    // Several evaluations see the same GO: the flip is told once.
    await evaluateUntil(id, (d) => d.verdict.verdict === 'GO');
    await app.deploys!.evaluator.evaluateNow();
    await app.deploys!.evaluator.evaluateNow();

    expect((await change('ops', `/api/v1/deploys/${id}/migration`, { state: 'started' })).status).toBe(200);
    await app.control('POST', 'migrations/apply');
    await evaluateUntil(id, (d) => d.deploy.phase === 'verifying');
    const finished = await change('lead', `/api/v1/deploys/${id}/finish`, { note: 'verified by hand' });
    expect(finished.status).toBe(200);
    expect(finished.body.deploy.phase).toBe('done');

    const ours = () =>
      receiver.received
        .filter((r) => r.path === '/ok')
        .map((r) => ({ r, event: JSON.parse(r.body) as NotificationEvent }));
    await waitFor(() => (ours().some((o) => o.event.type === 'deploy.ended') ? true : undefined), 20_000);
    // Later polls send nothing again.
    await new Promise((r) => setTimeout(r, 300));
    const got = ours();
    const types = got.map((o) => o.event.type);

    // Once each: no event id twice; in the order the changes were stored (the outbox's order).
    expect(new Set(got.map((o) => o.event.id)).size).toBe(got.length);
    const stored = (await app.get<DeliveryList>('/api/v1/notifications', 'ops')).body.deliveries
      .filter((d) => d.webhook === 'pipeline')
      .reverse();
    expect(got.map((o) => o.event.id)).toEqual(stored.map((d) => d.eventId));
    // The story's milestones, in this order.
    const milestones = [
      'deploy.prepared',
      'deploy.item-signed-off',
      'deploy.item-signed-off',
      'deploy.item-revoked',
      'deploy.item-signed-off',
      'deploy.verdict-changed',
      'deploy.migration-started',
      'deploy.migration-finished',
      'deploy.ended',
    ];
    let at = -1;
    for (const type of milestones) {
      at = types.indexOf(type as NotificationEvent['type'], at + 1);
      expect(at, `${type} after the ones before it in ${types.join(', ')}`).toBeGreaterThanOrEqual(0);
    }
    expect(types[0]).toBe('deploy.prepared');
    expect(types.at(-1)).toBe('deploy.ended');
    expect(types.filter((t) => t === 'deploy.prepared' || t === 'deploy.ended')).toHaveLength(2);
    expect(types.filter((t) => t === 'deploy.migration-started')).toHaveLength(1);
    expect(types.filter((t) => t === 'deploy.migration-finished')).toHaveLength(1);
    // Each verdict change is a flip from the one told before it, with its reasons.
    const flips = got.filter((o) => o.event.type === 'deploy.verdict-changed').map((o) => o.event.data);
    expect(flips[0]).toMatchObject({ gate: 'migration', from: 'NO-GO', verdict: 'GO', reasons: [] });
    for (const [i, flip] of flips.entries()) {
      expect(flip.from).not.toBe(flip.verdict);
      if (i > 0) expect(flip.from).toBe(flips[i - 1]!.verdict);
      if (flip.verdict === 'NO-GO') expect((flip.reasons as string[]).length).toBeGreaterThan(0);
    }
    for (const { r, event } of got) {
      expect(event).toMatchObject({
        deployId: id,
        environment: 'production',
        url: `https://flightdeck.example.com/deploys/${id}`,
      });
      const timestamp = r.headers['x-flightdeck-timestamp'] as string;
      const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex')}`;
      expect(r.headers['x-flightdeck-signature']).toBe(expected);
      expect(r.headers['x-flightdeck-event']).toBe(event.type);
    }
    expect(got.find((o) => o.event.type === 'deploy.ended')!.event.data).toMatchObject({
      phase: 'done',
      ending: { kind: 'finished' },
    });

    // The chat channel gets the same events as Slack messages, each linking the deploy's page.
    const slack = await waitFor(() => {
      const messages = receiver.received.filter((r) => r.path === '/slack');
      return messages.length >= got.length ? messages : undefined;
    }, 20_000);
    for (const m of slack) {
      const message = JSON.parse(m.body) as { text: string; blocks: unknown[] };
      expect(message.text).toMatch(/^\[production\] /);
      expect(JSON.stringify(message.blocks)).toContain(
        `<https://flightdeck.example.com/deploys/${id}|Open in Flightdeck>`,
      );
    }
  }, 90_000);
});

describe('an outbox row left by a BFF killed before it sent', () => {
  it('is sent once after the restart', async () => {
    const receiver = await startReceiver();
    const dir = mkdtempSync(join(tmpdir(), 'flightdeck-outbox-'));
    try {
      // What a BFF killed with -9 right after writing the row leaves: a pending delivery, never sent.
      const store = await openStore({ dataDir: join(dir, 'store') });
      const event: NotificationEvent = {
        id: randomUUID(),
        type: 'deploy.prepared',
        at: new Date().toISOString(),
        environment: 'production',
        deployId: 'production-20260203T062934Z',
        summary: 'Deploy prepared by omar',
        url: null,
        data: {},
      };
      await store.db
        .insertInto('notification_deliveries' as never)
        .values({
          id: randomUUID(),
          event_id: event.id,
          type: event.type,
          deploy_id: event.deployId,
          ordering_key: event.deployId,
          webhook: 'pipeline',
          event: JSON.stringify(event),
          state: 'pending',
          created_at: new Date(),
          next_attempt_at: new Date(),
        } as never)
        .execute();
      await store.close();

      const app = await buildTestApp({
        store: { dataDir: join(dir, 'store') },
        notifications: { webhooks: [{ name: 'pipeline', url: `${receiver.url}/ok` }], pollMs: 50 },
      });
      try {
        await waitFor(() => (receiver.received.length >= 1 ? true : undefined), 15_000);
        // Several polls later, still once.
        await new Promise((r) => setTimeout(r, 500));
        expect(receiver.received.map((r) => (JSON.parse(r.body) as NotificationEvent).id)).toEqual([
          event.id,
        ]);
      } finally {
        await app.close();
      }
    } finally {
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a sender that stops (the leader giving way, a restart)', () => {
  it('starts nothing from an outbox read still in flight: the next leader sends it, once', async () => {
    const receiver = await startReceiver();
    const store = await openStore({ dataDir: 'memory://' });
    try {
      const db = store.db as unknown as Kysely<NotificationTables>;
      const event: NotificationEvent = {
        id: randomUUID(),
        type: 'deploy.prepared',
        at: new Date().toISOString(),
        environment: 'production',
        deployId: 'production-20260203T062934Z',
        summary: 'Deploy prepared by omar',
        url: null,
        data: {},
      };
      await enqueue(db, event, ['pipeline'], new Date(Date.now() - 1_000));
      const webhooks = new Map([
        ['pipeline', { name: 'pipeline', url: `${receiver.url}/ok`, format: 'json' as const, secret: null }],
      ]);
      const settings = { maxAttempts: 5, retryBaseMs: 1_000, timeoutMs: 2_000, pollMs: 60_000 };
      const quiet = { warn: () => undefined };
      const leaving = new WebhookSender(db, webhooks, settings, quiet);
      // A poll has begun reading the outbox when the sender is told to stop.
      void leaving.tick();
      await leaving.stop();
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.received).toEqual([]);

      const next = new WebhookSender(db, webhooks, settings, quiet);
      next.start();
      await waitFor(() => (receiver.received.length >= 1 ? true : undefined), 10_000);
      await next.stop();
      expect(receiver.received.map((r) => (JSON.parse(r.body) as NotificationEvent).id)).toEqual([event.id]);
    } finally {
      await store.close();
      await receiver.close();
    }
  });
});
