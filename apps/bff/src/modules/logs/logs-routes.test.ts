import type { LogsOverview, TailLine, TailStatus } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, waitFor, type TestApp } from '../../testing/build-test-app.js';
import {
  openEventStreamClient,
  type EventStreamClient,
  type ReceivedEvent,
} from '../../testing/event-stream-client.js';

const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';
const lines = (events: ReceivedEvent[]) =>
  events.filter((e) => e.event === 'line').map((e) => ({ id: e.id!, line: JSON.parse(e.data) as TailLine }));

describe('live log tails against the sandbox (real SDK clients over HTTP)', () => {
  let app: TestApp;
  const open: EventStreamClient[] = [];
  const viewer = () => ({
    cookie: `${app.identityCookie('viewer').name}=${encodeURIComponent(app.identityCookie('viewer').value)}`,
  });
  const tail = async (query = '', headers: Record<string, string> = {}) => {
    const client = await openEventStreamClient(`${app.url}/api/v1/logs/${backend}/tail${query}`, {
      headers: { ...viewer(), ...headers },
    });
    open.push(client);
    return client;
  };
  const status = async (filter = '') =>
    (await app.get<LogsOverview>('/api/v1/logs')).body.tails.find(
      (t) => t.functionName === backend && t.filterPattern === filter,
    );

  beforeAll(async () => {
    app = await buildTestApp({
      logs: {
        tailBackfillMinutes: 10,
        clientMaxLagLines: 300,
        tailBufferLines: 2000,
        tailIdleSeconds: 30,
        tailOverlapSeconds: 60,
      },
    });
  });
  afterAll(async () => {
    for (const client of open) client.close();
    await app?.close();
  });

  it('streams lines live with ids, highlights error lines and names the missing relation', async () => {
    const client = await tail();
    expect(client.status).toBe(200);
    const first = await client.waitFor((e) => e.event === 'line');
    expect(first.id).toMatch(/^[0-9a-z]+-\d+$/);
    const seqAtConnect = lines(client.events).at(-1)!.line.seq;
    // Live: lines newer than what was there at connect keep arriving.
    await client.waitFor(
      (e) => e.event === 'line' && (JSON.parse(e.data) as TailLine).seq > seqAtConnect + 5,
      15_000,
    );
    const received = lines(client.events);
    const seqs = received.map((l) => l.line.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(received.map((l) => l.line.eventId)).size).toBe(received.length);
    // The story fails about 6 requests a minute, so the 200 lines replayed at connect (some 20 s of
    // traffic) may hold none. Whichever comes first, the story's or this one written as the app
    // writes it, must be recognised.
    await app.control('POST', `functions/${backend}/log`, {
      message:
        '[ERROR]\tsqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedTable) relation "coordinator_notification_preferences" does not exist',
    });
    const failing = await client.waitFor(
      (e) => e.event === 'line' && Boolean((JSON.parse(e.data) as TailLine).schemaError),
      30_000,
    );
    const schemaError = JSON.parse(failing.data) as TailLine;
    expect(schemaError).toMatchObject({
      severity: 'error',
      schemaError: { kind: 'relation', name: 'coordinator_notification_preferences' },
    });
    expect(client.events.find((e) => e.event === 'status')).toBeDefined();
  }, 60_000);

  it('passes the filter pattern through: every line matches it', async () => {
    const client = await tail(`?filter=${encodeURIComponent('"does not exist"')}`);
    await waitFor(() => (lines(client.events).length >= 3 ? true : undefined), 15_000);
    for (const { line } of lines(client.events)) expect(line.message).toContain('does not exist');
  });

  it('gives a client reconnecting with Last-Event-ID exactly the lines it missed, once each', async () => {
    // A reference viewer that never disconnects sees every line.
    const reference = await tail();
    const first = await tail();
    await first.waitFor((e) => e.event === 'line');
    await waitFor(() => (lines(first.events).length >= 20 ? true : undefined), 15_000);
    first.close();
    const seen = lines(first.events);
    const lastId = seen.at(-1)!.id;
    const lastSeq = seen.at(-1)!.line.seq;

    // Lines arrive while it is away.
    await waitFor(async () => ((await status())!.lastSeq >= lastSeq + 10 ? true : undefined), 20_000);
    const resumed = await tail('', { 'last-event-id': lastId });
    const target = (await status())!.lastSeq;
    await resumed.waitFor(
      (e) => e.event === 'line' && (JSON.parse(e.data) as TailLine).seq >= target,
      15_000,
    );
    await reference.waitFor(
      (e) => e.event === 'line' && (JSON.parse(e.data) as TailLine).seq >= target,
      15_000,
    );

    const missed = lines(resumed.events).filter((l) => l.line.seq <= target);
    expect(resumed.events.some((e) => e.event === 'gap')).toBe(false);
    // Exactly the ones after lastId: consecutive, none it already had, none twice.
    expect(missed.map((l) => l.line.seq)).toEqual(
      Array.from({ length: target - lastSeq }, (_, i) => lastSeq + 1 + i),
    );
    const before = new Set(seen.map((l) => l.line.eventId));
    expect(missed.filter((l) => before.has(l.line.eventId))).toEqual([]);
    const referenceRange = lines(reference.events)
      .filter((l) => l.line.seq > lastSeq && l.line.seq <= target)
      .map((l) => l.line.eventId);
    expect(missed.map((l) => l.line.eventId)).toEqual(referenceRange);
  });

  it('resumes from ?lastEventId= the same way, and sends "gap" when the id is no longer buffered', async () => {
    const now = (await status())!;
    const viaQuery = await tail(`?lastEventId=${now.epoch}-${now.lastSeq - 3}`);
    await viaQuery.waitFor((e) => e.event === 'line');
    expect(lines(viaQuery.events)[0]!.line.seq).toBe(now.lastSeq - 2);

    const fromAnotherTail = await tail('', { 'last-event-id': 'zzzzzz-5' });
    const gap = await fromAnotherTail.waitFor((e) => e.event === 'gap');
    expect(JSON.parse(gap.data)).toMatchObject({ reason: 'tail-restarted', lastEventId: 'zzzzzz-5' });
  });

  it('shows a line CloudWatch ingests late, up to logs.tailOverlapSeconds behind the newest', async () => {
    const marker = `lateline${Date.now().toString(36)}`;
    const client = await tail(`?filter=${marker}`);
    await client.waitFor((e) => e.event === 'status');
    const write = (text: string, lateSeconds = 0) =>
      app.control('POST', `functions/${backend}/log`, { message: `${marker} ${text}`, lateSeconds });
    const arrived = (text: string) =>
      client.waitFor((e) => e.event === 'line' && e.data.includes(`${marker} ${text}`), 15_000);
    await write('fresh-1');
    await arrived('fresh-1');
    // Written now, stamped 40 s and 120 s ago: the tail reaches 60 s behind its newest line.
    await write('late-40s', 40);
    await write('late-120s', 120);
    await write('fresh-2');
    await arrived('late-40s');
    await arrived('fresh-2');
    await write('fresh-3');
    await arrived('fresh-3');
    const shown = lines(client.events).map((l) => l.line.message);
    expect(shown.filter((m) => m.includes('late-40s'))).toHaveLength(1);
    expect(shown.some((m) => m.includes('late-120s'))).toBe(false);
  });

  it('refuses a malformed filter pattern with a 400 naming it, and an unknown function with a 404', async () => {
    const bad = await app.get<{ error: { code: string; message: string } }>(
      `/api/v1/logs/${backend}/tail?filter=${encodeURIComponent('{ $.level = "error"')}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'InvalidFilterPattern' });
    expect(bad.body.error.message).toContain('{ $.level = \\"error\\"');
    const unknown = await app.get<{ error: { code: string; message: string } }>(
      '/api/v1/logs/no-such-fn/tail',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('"no-such-fn"');
    const extra = await app.get<{ error: { message: string } }>(`/api/v1/logs/${backend}/tail?follow=yes`);
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toBe('Unknown query parameter "follow"');
  });

  it('shares one tail among identical queries and says so when tails outnumber the call budget', async () => {
    const clients = await Promise.all(Array.from({ length: 5 }, () => tail('?filter=REPORT')));
    await Promise.all(clients.map((c) => c.waitFor((e) => e.event === 'status')));
    const overview = (await app.get<LogsOverview>('/api/v1/logs')).body;
    const shared = overview.tails.filter((t) => t.filterPattern === 'REPORT');
    expect(shared).toHaveLength(1);
    expect(shared[0]!.clients).toBe(5);
    // 5 calls/s budget, tails polling every second plus the Overview's own: more wanted than allowed.
    const distinct = await Promise.all(
      ['Duration', 'Billed', 'Memory', 'Init', 'RequestId'].map((f) => tail(`?filter=${f}`)),
    );
    // Status goes out as each tail starts; the one counting all six must say the budget is shared.
    const allSix = await distinct[0]!.waitFor(
      (e) => e.event === 'status' && (JSON.parse(e.data) as TailStatus).budget.activeTails >= 6,
    );
    expect((JSON.parse(allSix.data) as TailStatus).budget.shared).toBe(true);
    for (const c of [...clients, ...distinct]) c.close();
  });
});

describe('a tail whose client stops reading (sandbox, real SDK clients)', () => {
  let app: TestApp;
  beforeAll(async () => {
    // A day of history read in pages of 10,000 lines: a flood larger than what the kernel buffers for
    // a socket nobody reads (loopback receive buffers grow to 32 MB on some machines), so the BFF
    // itself must hold the stalled client's backlog, and drop it.
    app = await buildTestApp({
      logs: { tailBackfillMinutes: 1440, tailBufferLines: 5000, clientMaxLagLines: 300 },
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('drops the client with a notice, while its backlog in the BFF stays bounded', async () => {
    const cookie = `${app.identityCookie('viewer').name}=${encodeURIComponent(app.identityCookie('viewer').value)}`;
    const status = async () =>
      (await app.get<LogsOverview>('/api/v1/logs')).body.tails.find((t) => t.functionName === backend);
    const stalled = await openEventStreamClient(`${app.url}/api/v1/logs/${backend}/tail`, {
      headers: { cookie },
    });
    stalled.pause();
    const before = (await status())!;
    const dropped = await waitFor(async () => {
      const s = (await status())!;
      return s.droppedClients > 0 ? s : undefined;
      // Reading three hours of history takes longer on a busy machine: patience, not a time limit.
    }, 80_000);
    stalled.resume();
    await stalled.ended;
    const notice = stalled.events.at(-1)!;
    expect(notice.event).toBe('dropped');
    expect(JSON.parse(notice.data)).toMatchObject({ resumeFrom: expect.stringMatching(/^[0-9a-z]+-\d+$/) });
    // The tail read thousands of lines the client never took...
    const readMeanwhile = dropped.lastSeq - before.lastSeq;
    expect(readMeanwhile).toBeGreaterThan(5_000);
    expect(lines(stalled.events).length).toBeLessThan(readMeanwhile);
    // ...yet what the BFF held for it never passed a socket buffer and one chunk of frames,
    expect(dropped.peakClientBufferedBytes).toBeLessThan(256 * 1024);
    // and the tail itself keeps only its ring.
    expect(dropped.bufferedLines).toBeLessThanOrEqual(dropped.bufferCapacity);
    console.log(
      `stalled client: tail read ${readMeanwhile} lines meanwhile; the client took ${lines(stalled.events).length}; ` +
        `its peak backlog in the BFF was ${dropped.peakClientBufferedBytes} B`,
    );
  }, 90_000);
});
