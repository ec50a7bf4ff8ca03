import { describe, expect, it, vi } from 'vitest';
import { LogTail, type LogEventsQuery, type LogTailOptions, type ReadLogEvents } from './log-tail.js';
import { TailSubscription, parseTailEventId, type TailSink } from './tail-subscription.js';

const options: LogTailOptions = {
  bufferLines: 50,
  pollIntervalMs: 5,
  backfillMs: 60_000,
  overlapMs: 10_000,
  maxPagesPerPoll: 2,
};

const t0 = Date.parse('2026-02-03T06:59:00Z');
const event = (n: number) => ({
  eventId: `e${String(n).padStart(5, '0')}`,
  timestamp: t0 + n * 10,
  logStream: 's',
  message: n % 3 === 0 ? `ERROR relation "payment_methods" does not exist (${n})` : `line ${n}`,
});

/** A log group that gains lines as the test says; pages of `pageSize`, like FilterLogEvents. */
function logGroup(pageSize = 4) {
  const events: ReturnType<typeof event>[] = [];
  const queries: LogEventsQuery[] = [];
  const read: ReadLogEvents = async (query) => {
    queries.push(query);
    const matching = events.filter((e) => e.timestamp >= query.startTime && e.timestamp <= query.endTime);
    const from = query.nextToken ? Number(query.nextToken) : 0;
    const page = matching.slice(from, from + pageSize);
    return {
      events: page,
      nextToken: from + pageSize < matching.length ? String(from + pageSize) : undefined,
    };
  };
  return {
    read,
    queries,
    add(from: number, to: number) {
      for (let n = from; n <= to; n++) events.push(event(n));
    },
  };
}

/** An SSE sink in memory; `stall()` makes it refuse writes like a client that stopped reading. */
function memorySink() {
  const frames: string[] = [];
  let stalled = false;
  let drain: (() => void) | null = null;
  const sink: TailSink & { frames: string[]; stall(): void; resume(): void; ended: string | null } = {
    frames,
    ended: null,
    closed: false,
    bufferedBytes: 0,
    write(chunk) {
      frames.push(chunk);
      return !stalled;
    },
    onDrain(listener) {
      drain = listener;
    },
    end(final) {
      this.ended = final ?? '';
      (this as { closed: boolean }).closed = true;
    },
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
      drain?.();
    },
  };
  return sink;
}

const linesIn = (frames: string[]) =>
  frames
    .join('')
    .split('\n\n')
    .filter((f) => f.startsWith('event: line'))
    .map(
      (f) =>
        JSON.parse(
          f
            .split('\n')
            .find((l) => l.startsWith('data: '))!
            .slice(6),
        ) as { seq: number; eventId: string },
    );
const eventsNamed = (frames: string[], name: string) =>
  frames
    .join('')
    .split('\n\n')
    .filter((f) => f.startsWith(`event: ${name}\n`))
    .map(
      (f) =>
        JSON.parse(
          f
            .split('\n')
            .find((l) => l.startsWith('data: '))!
            .slice(6),
        ) as Record<string, unknown>,
    );

describe('LogTail', () => {
  it('pages through everything, continuing a capped paging on the next poll, once per event', async () => {
    const group = logGroup(4);
    group.add(1, 30);
    let clock = t0 + 1_000;
    const tail = new LogTail('api', '/aws/lambda/api', '', group.read, options, () => clock);
    tail.start();
    await vi.waitFor(() => expect(tail.buffer.lastSeq).toBe(30));
    group.add(31, 40);
    clock += 1_000;
    await vi.waitFor(() => expect(tail.buffer.lastSeq).toBe(40));
    await tail.stop();
    const all = tail.buffer.after(0).lines.map((l) => l.eventId);
    expect(all).toEqual(Array.from({ length: 40 }, (_, i) => event(i + 1).eventId));
    // A capped poll continues with the same window and token, not a fresh window that could skip lines.
    const continued = group.queries.find((q, i) => i > 0 && q.nextToken === '8');
    expect(continued?.startTime).toBe(group.queries[0]!.startTime);
  });

  it('stops for good when CloudWatch rejects the pattern', async () => {
    const read: ReadLogEvents = async () => {
      throw Object.assign(new Error('Invalid filter pattern'), { name: 'InvalidParameterException' });
    };
    const tail = new LogTail('api', '/aws/lambda/api', '{ $.x = ', read, options);
    tail.start();
    await tail.firstPolled(5_000);
    expect(tail.fatal?.code).toBe('InvalidParameterException');
    await tail.stop();
  });

  it('keeps polling through a throttle and says so until it recovers', async () => {
    const group = logGroup();
    group.add(1, 3);
    let fail = true;
    const read: ReadLogEvents = async (q) => {
      if (fail) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return group.read(q);
    };
    const tail = new LogTail('api', '/aws/lambda/api', '', read, options, () => t0 + 1_000);
    tail.start();
    await tail.firstPolled(5_000);
    expect(tail.error?.code).toBe('ThrottlingException');
    fail = false;
    await vi.waitFor(() => expect(tail.buffer.lastSeq).toBe(3));
    expect(tail.error).toBeNull();
    await tail.stop();
  });
});

describe('TailSubscription', () => {
  async function tailWith(lines: number, bufferLines = 50) {
    const group = logGroup(100);
    group.add(1, lines);
    const tail = new LogTail(
      'api',
      '/aws/lambda/api',
      '',
      group.read,
      { ...options, bufferLines },
      () => t0 + 1_000,
    );
    tail.start();
    await vi.waitFor(() => expect(tail.buffer.lastSeq).toBe(lines));
    await tail.stop();
    return tail;
  }
  const opts = { maxLagLines: 10, stallGraceMs: 0, initialLines: 5, chunkLines: 3 };

  it('gives a new viewer the last lines, then follows', async () => {
    const tail = await tailWith(20);
    const sink = memorySink();
    new TailSubscription(tail, sink, opts).start(undefined);
    expect(linesIn(sink.frames).map((l) => l.seq)).toEqual([16, 17, 18, 19, 20]);
  });

  it('resumes after Last-Event-ID with exactly the lines missed, once each', async () => {
    const tail = await tailWith(20);
    const sink = memorySink();
    new TailSubscription(tail, sink, opts).start(tail.idOf(12));
    expect(linesIn(sink.frames).map((l) => l.seq)).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);
    expect(eventsNamed(sink.frames, 'gap')).toEqual([]);
  });

  it('says there is a gap when the resume point was overwritten, then sends what it has', async () => {
    const tail = await tailWith(40, 20);
    const sink = memorySink();
    new TailSubscription(tail, sink, opts).start(tail.idOf(5));
    expect(eventsNamed(sink.frames, 'gap')).toEqual([
      { reason: 'evicted', lastEventId: tail.idOf(5), resumesAtSeq: 21 },
    ]);
    expect(linesIn(sink.frames).map((l) => l.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 21 + i));
  });

  it('says the tail restarted when the id is from an earlier tail', async () => {
    const tail = await tailWith(3);
    const sink = memorySink();
    new TailSubscription(tail, sink, opts).start('zzzz-7');
    expect(eventsNamed(sink.frames, 'gap')[0]).toMatchObject({
      reason: 'tail-restarted',
      lastEventId: 'zzzz-7',
    });
    expect(linesIn(sink.frames).map((l) => l.seq)).toEqual([1, 2, 3]);
  });

  it('waits for drain when the socket is full, and drops a client that falls too far behind', async () => {
    const group = logGroup(100);
    group.add(1, 5);
    let clock = t0 + 1_000;
    const tail = new LogTail('api', '/aws/lambda/api', '', group.read, options, () => clock);
    tail.start();
    await vi.waitFor(() => expect(tail.buffer.lastSeq).toBe(5));
    const sink = memorySink();
    const subscription = new TailSubscription(tail, sink, { ...opts, chunkLines: 2 });
    tail.onLines(() => subscription.pump());
    subscription.start(undefined);
    sink.stall();
    group.add(6, 8);
    clock += 100;
    await vi.waitFor(() => expect(tail.buffer.lastSeq).toBe(8));
    // One write (lines 6-7) went to the stalled socket; line 8 waits for drain.
    expect(linesIn(sink.frames).at(-1)?.seq).toBe(7);
    sink.resume();
    expect(linesIn(sink.frames).map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    sink.stall();
    group.add(9, 9);
    clock += 100;
    await vi.waitFor(() => expect(tail.buffer.lastSeq).toBe(9));
    group.add(10, 30);
    clock += 100;
    await vi.waitFor(() => expect(sink.ended).not.toBeNull());
    await tail.stop();
    expect(subscription.dropped).toBe(true);
    const [dropped] = eventsNamed([sink.ended!], 'dropped');
    const lastWritten = linesIn(sink.frames).at(-1)!.seq;
    expect(dropped).toMatchObject({ resumeFrom: tail.idOf(lastWritten) });
    expect(String(dropped!.reason)).toMatch(/fell \d+ lines behind/);
  });
});

describe('TailSubscription under a burst', () => {
  it('keeps a client that drains, however far a burst puts it behind', async () => {
    const group = logGroup(1_000);
    group.add(1, 2);
    let clock = t0 + 1_000;
    const tail = new LogTail(
      'api',
      '/aws/lambda/api',
      '',
      group.read,
      { ...options, bufferLines: 500 },
      () => clock,
    );
    tail.start();
    await vi.waitFor(() => expect(tail.buffer.lastSeq).toBe(2));
    const sink = memorySink();
    let now = 0;
    const subscription = new TailSubscription(
      tail,
      sink,
      { maxLagLines: 10, stallGraceMs: 1_000, initialLines: 5, chunkLines: 20 },
      () => undefined,
      () => now,
    );
    tail.onLines(() => subscription.pump());
    subscription.start(undefined);
    // Every write fills the socket, but it drains well within the grace period.
    sink.stall();
    group.add(3, 300);
    clock += 5_000;
    await vi.waitFor(() => expect(tail.buffer.lastSeq).toBe(300));
    for (let i = 0; i < 20; i++) {
      now += 100;
      sink.resume();
      sink.stall();
    }
    await tail.stop();
    expect(subscription.dropped).toBe(false);
    expect(linesIn(sink.frames).map((l) => l.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });
});

describe('parseTailEventId', () => {
  it('reads epoch and sequence, and nothing else', () => {
    expect(parseTailEventId('lq2x3a0-1234')).toEqual({ epoch: 'lq2x3a0', seq: 1234 });
    expect(parseTailEventId('1234')).toBeNull();
    expect(parseTailEventId('a-b')).toBeNull();
  });
});
