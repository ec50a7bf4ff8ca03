import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { applyOverviewEvent, type Overview, type OverviewEvent } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStreamClient, type ReceivedEvent } from '../../testing/event-stream-client.js';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';

const parse = (e: ReceivedEvent) => ({ event: e.event, data: JSON.parse(e.data) }) as OverviewEvent;

describe('the published overview and its change-only event stream (sandbox, real HTTP)', () => {
  let app: TestApp;
  let cookie: string;
  beforeAll(async () => {
    app = await buildTestApp();
    cookie = `${app.identityCookie('viewer').name}=${encodeURIComponent(app.identityCookie('viewer').value)}`;
    await waitFor(async () => {
      const { body } = await app.get<Overview>('/api/v1/overview');
      return Object.values(body.sources).every((s) => s.fetchedAt) ? body : undefined;
    }, 20_000);
  });
  afterAll(async () => {
    await app?.close();
  });

  const inject = (headers: Record<string, string>) =>
    app.app.inject({ method: 'GET', url: '/api/v1/overview', headers: { cookie, ...headers } });

  it('serves the same bytes brotli, gzip or plain, with an ETag that a conditional request turns into a 304', async () => {
    const plain = await inject({});
    const etag = plain.headers.etag as string;
    // Named by the content (a hash of the sources), the same on every replica holding them.
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const br = await inject({ 'accept-encoding': 'gzip, deflate, br' });
    const gz = await inject({ 'accept-encoding': 'gzip' });
    // The same version (no poll in between) is the same document in three encodings.
    if (br.headers.etag === etag && gz.headers.etag === etag) {
      expect(br.headers['content-encoding']).toBe('br');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
      expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
      expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    }
    const overview = JSON.parse(plain.body) as Overview;
    expect(overview.sources.alembic.data?.pending).toHaveLength(4);

    const current = await inject({});
    const conditional = await inject({ 'if-none-match': current.headers.etag as string });
    if (conditional.headers.etag === current.headers.etag) {
      expect(conditional.statusCode).toBe(304);
      expect(conditional.rawPayload.length).toBe(0);
    }
    const stale = await inject({ 'if-none-match': '"not-this-one"' });
    expect(stale.statusCode).toBe(200);
  });

  it('compresses the stream when the client takes gzip: the snapshot costs about the compressed overview, and each change arrives as it is published', async () => {
    const gz = await inject({ 'accept-encoding': 'gzip' });
    const client = await openEventStreamClient(`${app.url}/api/v1/events`, {
      headers: { cookie },
      acceptEncoding: 'gzip, deflate, br',
    });
    try {
      expect(client.contentEncoding).toBe('gzip');
      const snapshot = await client.waitFor((e) => e.event === 'snapshot');
      const snapshotBytes = Buffer.byteLength(snapshot.data);
      const wireAtSnapshot = client.bytes;
      // What came on the wire for the snapshot is within a few hundred bytes of the gzipped overview,
      // a small part of the 100+ KB it decodes to.
      expect(wireAtSnapshot).toBeLessThan(gz.rawPayload.length + 1024);
      expect(wireAtSnapshot).toBeLessThan(snapshotBytes / 5);
      // Flushed per event: a change is decoded while the stream stays open.
      await app.control('POST', 'clock/advance', { seconds: 60 });
      const change = await client.waitFor((e) => e.event !== 'snapshot', 20_000);
      expect(['source', 'log-lines', 'metrics-points', 'fresh']).toContain(change.event);
      console.log(
        `SSE snapshot: ${snapshotBytes} B of events, ${wireAtSnapshot} B on the wire (gzipped overview ${gz.rawPayload.length} B)`,
      );
    } finally {
      client.close();
    }
    // A client that takes no compression gets the same events in plain text.
    const plain = await openEventStreamClient(`${app.url}/api/v1/events`, { headers: { cookie } });
    try {
      expect(plain.contentEncoding).toBeUndefined();
      const snapshot = await plain.waitFor((e) => e.event === 'snapshot');
      expect(plain.bytes).toBeGreaterThan(Buffer.byteLength(snapshot.data));
    } finally {
      plain.close();
    }
  });

  it('starts a new client from one snapshot, then sends only changes and small freshness ticks', async () => {
    const client = await openEventStreamClient(`${app.url}/api/v1/events`, { headers: { cookie } });
    try {
      const first = await client.waitFor(() => true);
      expect(first.event).toBe('snapshot');
      let overview = (parse(first).data as { overview: Overview }).overview;
      expect(overview.sources.rds.data?.instance?.id).toBe('prod-credmate-db');

      // Nothing changes for the RDS instance between polls: it goes out as a tick, not as its state.
      const tick = await client.waitFor((e) => e.event === 'fresh', 10_000);
      expect(tick.id).toBeUndefined();
      expect(tick.data.length).toBeLessThan(400);

      await app.control('POST', 'migrations/apply');
      const alembic = await client.waitFor(
        (e) => e.event === 'source' && JSON.parse(e.data).source === 'alembic',
        15_000,
      );
      expect(alembic.id).toMatch(/^[0-9a-f]+\.\d+$/);
      for (const e of client.events) overview = applyOverviewEvent(overview, parse(e));
      expect(overview.sources.alembic.data?.upToDate).toBe(true);
      // A source's state only travels when it changed: no source message repeats the one before.
      const states = client.events
        .filter((e) => e.event === 'source')
        .map((e) => JSON.parse(e.data) as { source: string; state: { data: unknown } });
      for (let i = 1; i < states.length; i++) {
        const previous = states.slice(0, i).findLast((s) => s.source === states[i]!.source);
        if (previous) expect(states[i]!.state.data).not.toEqual(previous.state.data);
      }
    } finally {
      client.close();
    }
  });

  it('sends new log lines as appended lines, and what the client rebuilds is what the server publishes', async () => {
    // Back to before the migrations: the endpoint fails again and writes new error lines.
    await app.control('POST', 'reset');
    const client = await openEventStreamClient(`${app.url}/api/v1/events`, { headers: { cookie } });
    try {
      const first = await client.waitFor(() => true);
      let overview = (parse(first).data as { overview: Overview }).overview;
      // Five minutes of the story's traffic at once: its failing requests write new error lines,
      // newer than any an earlier test's clock moves left in the panel, rather than waiting on the
      // wall clock for the next one (a few a minute) on a busy machine.
      await app.control('POST', 'clock/advance', { seconds: 300 });
      const delta = await client.waitFor(
        (e) => e.event === 'log-lines' && JSON.parse(e.data).added.length > 0,
        20_000,
      );
      // Far smaller than the panel it updates.
      expect(delta.data.length).toBeLessThan(JSON.stringify(overview.sources.logs).length);
      await waitFor(async () => {
        let rebuilt = overview;
        let lastId: string | undefined;
        for (const e of client.events) {
          rebuilt = applyOverviewEvent(rebuilt, parse(e));
          if (e.id) lastId = e.id;
        }
        if (lastId !== app.app.published.changeId) return undefined;
        const published = JSON.parse(app.app.published.current().json.toString()) as Overview;
        expect(rebuilt.sources.logs.data).toEqual(published.sources.logs.data);
        overview = rebuilt;
        return true;
      }, 15_000);
    } finally {
      client.close();
    }
  });

  it('resumes a reconnecting client from Last-Event-ID with what it missed, or a snapshot when that is gone', async () => {
    const before = app.app.published.changeId;
    await app.control('POST', 'reset');
    await waitFor(() => (app.app.published.changeId !== before ? true : undefined), 15_000);
    const resumed = await openEventStreamClient(`${app.url}/api/v1/events`, {
      headers: { cookie, 'last-event-id': before },
    });
    try {
      const first = await resumed.waitFor(() => true);
      expect(first.event).not.toBe('snapshot');
      expect(first.id).toBe(`${before.split('.')[0]}.${Number(before.split('.')[1]) + 1}`);
    } finally {
      resumed.close();
    }
    const stranger = await openEventStreamClient(`${app.url}/api/v1/events`, {
      headers: { cookie, 'last-event-id': 'another-process.12' },
    });
    try {
      expect((await stranger.waitFor(() => true)).event).toBe('snapshot');
    } finally {
      stranger.close();
    }
  });
});
