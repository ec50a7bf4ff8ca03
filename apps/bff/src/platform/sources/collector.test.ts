import { afterEach, describe, expect, it, vi } from 'vitest';
import { Collector } from './collector.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Collector', () => {
  it('shares one upstream call between concurrent refreshes', async () => {
    let calls = 0;
    const gate = deferred<number>();
    const collector = new Collector('n', { fetch: () => (calls++, gate.promise) }, 1000);
    const refreshes = Array.from({ length: 50 }, () => collector.refresh());
    gate.resolve(7);
    await Promise.all(refreshes);
    expect(calls).toBe(1);
    expect(collector.state.data).toBe(7);
  });

  it('keeps the last good value and its time when a refresh fails', async () => {
    let fail = false;
    let t = 0;
    const collector = new Collector(
      'n',
      {
        fetch: async () => {
          if (fail) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
          return 'good';
        },
      },
      1000,
      () => new Date(Date.UTC(2026, 0, 1, 0, 0, t)),
    );
    await collector.refresh();
    fail = true;
    t = 30;
    await collector.refresh();
    expect(collector.state.data).toBe('good');
    expect(collector.state.fetchedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(collector.state.error).toEqual({
      code: 'ThrottlingException',
      message: 'Rate exceeded',
      at: '2026-01-01T00:00:30.000Z',
    });
    fail = false;
    await collector.refresh();
    expect(collector.state.error).toBeNull();
  });

  it('tells listeners about every finished refresh', async () => {
    const collector = new Collector('n', { fetch: async () => 1 }, 1000);
    const seen: unknown[] = [];
    const off = collector.onChange((s) => seen.push(s.data));
    await collector.refresh();
    off();
    await collector.refresh();
    expect(seen).toEqual([1]);
  });

  describe('polling', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('retries a failing source sooner than its interval, backing off, then returns to the interval', async () => {
      vi.useFakeTimers();
      const calledAt: number[] = [];
      let failures = 3;
      const collector = new Collector(
        'n',
        {
          fetch: async () => {
            calledAt.push(Date.now());
            if (failures-- > 0) throw new Error('socket hang up');
            return 'ok';
          },
        },
        60_000,
      );
      const start = Date.now();
      collector.start();
      await vi.advanceTimersByTimeAsync(135_000);
      await collector.stop();
      // Failed at 0, 2 s and 6 s (2 s, then 4 s later); good at 14 s; then every minute.
      expect(calledAt.map((t) => t - start)).toEqual([0, 2_000, 6_000, 14_000, 74_000, 134_000]);
      expect(collector.state.data).toBe('ok');
    });

    it('never retries faster than a short interval', async () => {
      vi.useFakeTimers();
      let calls = 0;
      const collector = new Collector(
        'n',
        {
          fetch: async () => {
            calls++;
            throw new Error('down');
          },
        },
        1_000,
      );
      collector.start();
      await vi.advanceTimersByTimeAsync(10_500);
      await collector.stop();
      expect(calls).toBe(11);
    });
  });

  it('polls at the pace it is given at each poll (the lock poll: 1 s while migrating, 3 s before)', async () => {
    vi.useFakeTimers();
    try {
      let calls = 0;
      let migrating = false;
      const collector = new Collector('locks', { fetch: async () => ++calls }, 3_000);
      collector.pace(() => (migrating ? 1_000 : 3_000));
      collector.start();
      await vi.advanceTimersByTimeAsync(9_500);
      expect(calls).toBe(4);
      expect(collector.state.intervalMs).toBe(3_000);
      migrating = true;
      // The wait already scheduled runs out first; then one a second.
      await vi.advanceTimersByTimeAsync(2_500 + 5_000);
      expect(calls).toBe(10);
      expect(collector.state.intervalMs).toBe(1_000);
      await collector.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('on a follower, adopts the leader’s state like a fetch and never calls the upstream', async () => {
    let calls = 0;
    let leading = false;
    const collector = new Collector('n', { fetch: async () => ++calls }, 50);
    collector.fetchOnlyWhen(() => leading);
    const heard: unknown[] = [];
    collector.onChange((state) => heard.push(state.data));

    // A page asking for a refresh waits for the leader's next state instead of calling.
    const refreshed = collector.refresh();
    collector.adopt({ data: 41, fetchedAt: '2026-01-01T00:00:00.000Z', error: null, intervalMs: 9 });
    await refreshed;
    await collector.refresh(); // nobody adopts: it gives up after one interval
    expect(calls).toBe(0);
    expect(heard).toEqual([41]);
    expect(collector.state).toEqual({
      data: 41,
      fetchedAt: '2026-01-01T00:00:00.000Z',
      error: null,
      intervalMs: 50,
    });

    leading = true; // promoted: it polls again
    await collector.refresh();
    expect(calls).toBe(1);
    expect(heard).toEqual([41, 1]);
  });

  it('takes a published state as is, its fetch time included, when its source offers one', async () => {
    let calls = 0;
    let published: { data: number; fetchedAt: string; error: null; intervalMs: number } | null = {
      data: 5,
      fetchedAt: '2026-01-01T00:00:00.000Z',
      error: null,
      intervalMs: 1,
    };
    const collector = new Collector(
      'n',
      { fetch: async () => ++calls, published: async () => published },
      1000,
    );
    await collector.refresh();
    expect(calls).toBe(0);
    expect(collector.state).toMatchObject({
      data: 5,
      fetchedAt: '2026-01-01T00:00:00.000Z',
      intervalMs: 1000,
    });
    published = null; // leading now: it fetches
    await collector.refresh();
    expect(calls).toBe(1);
    expect(collector.state.data).toBe(1);
  });
});
