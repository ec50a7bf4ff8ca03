import type { LogsOverview } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../testing/build-test-app.js';
import { openEventStreamClient, type EventStreamClient } from '../../testing/event-stream-client.js';

interface Calls {
  total: number;
  byOperation: Record<string, number>;
}

const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';
const windowMs = 6_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls one round of polling makes, per operation: the most two equal windows may differ by when
 * polls fall at their edges. Overview metrics + the 1h window; the Overview's error lines (one per
 * function) + the shared tail; RDS instance and snapshots; an alias and its versions per function.
 */
const onePoll: Record<string, number> = {
  'CloudWatch.GetMetricData': 2,
  'CloudWatchLogs.FilterLogEvents': 3,
  'RDS.DescribeDBInstances': 1,
  'RDS.DescribeDBSnapshots': 1,
  'Lambda.GetAlias': 2,
  'Lambda.ListVersionsByFunction': 2,
};

describe('upstream calls do not grow with viewers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp({ logs: { tailBackfillMinutes: 1 } });
  });
  afterAll(async () => {
    await app?.close();
  });

  /** `viewers` browsers (live stream, Overview and Metrics polling) and `tails` identical tails, for a fixed window. */
  async function countCalls(viewers: number, tails: number): Promise<Calls & { elapsedMs: number }> {
    const headers = {
      cookie: `${app.identityCookie('viewer').name}=${encodeURIComponent(app.identityCookie('viewer').value)}`,
    };
    const streams: EventStreamClient[] = await Promise.all([
      ...Array.from({ length: viewers }, () =>
        openEventStreamClient(`${app.url}/api/v1/events`, { headers, keep: false }),
      ),
      ...Array.from({ length: tails }, () =>
        openEventStreamClient(`${app.url}/api/v1/logs/${backend}/tail?filter=REPORT`, {
          headers,
          keep: false,
        }),
      ),
    ]);
    let requests = 0;
    let stop = false;
    const poll = async (v: number) => {
      await sleep((v * 500) / viewers);
      for (let i = 0; i < 1_000 && !stop; i++) {
        const responses = await Promise.all([
          fetch(`${app.url}/api/v1/overview`, { headers }),
          fetch(`${app.url}/api/v1/metrics?window=1h`, { headers }),
        ]);
        for (const r of responses) {
          expect(r.status).toBe(200);
          await r.arrayBuffer();
        }
        requests += 2;
        await sleep(500);
      }
    };
    const loops = Array.from({ length: viewers }, (_, v) => poll(v));
    await sleep(1_000);
    const reset = app.control('DELETE', 'calls');
    const from = performance.now();
    await reset;
    await sleep(windowMs);
    const calls = await app.control<Calls>('GET', 'calls');
    const elapsedMs = performance.now() - from;
    stop = true;
    await Promise.all(loops);
    const overview = (await app.get<LogsOverview>('/api/v1/logs')).body;
    const shared = overview.tails.filter((t) => t.filterPattern === 'REPORT');
    expect(shared).toHaveLength(1);
    expect(shared[0]!.clients).toBe(tails);
    for (const s of streams) s.close();
    expect(requests).toBeGreaterThan(viewers);
    return { ...calls, elapsedMs };
  }

  it('counts the same AWS calls (within one poll) for 1 viewer and for 100 viewers with 20 identical tails', async () => {
    // Warm: the 1h window and the tail exist before either window is counted.
    const one = await countCalls(1, 1);
    const many = await countCalls(100, 20);
    console.log(
      `AWS calls in ${one.elapsedMs.toFixed(0)} ms with 1 viewer:`,
      one.byOperation,
      `in ${many.elapsedMs.toFixed(0)} ms with 100 viewers + 20 tails:`,
      many.byOperation,
    );
    // Both windows are timed by the same clock; the control calls that bound them can take longer
    // under load, so the allowance scales with the longer window (never shrinks).
    const scale = Math.max(1, many.elapsedMs / one.elapsedMs);
    const operations = new Set([...Object.keys(one.byOperation), ...Object.keys(many.byOperation)]);
    expect([...operations].sort()).toEqual(Object.keys(onePoll).sort());
    for (const op of operations) {
      const a = one.byOperation[op] ?? 0;
      const b = many.byOperation[op] ?? 0;
      expect(a, op).toBeGreaterThan(0);
      expect(b, op).toBeGreaterThan(0);
      // Load can only stretch the poll intervals (fewer calls); viewers must never add calls.
      expect(b, `${op}: ${a} calls for 1 viewer, ${b} for 100`).toBeLessThanOrEqual(
        Math.ceil(a * scale) + onePoll[op]!,
      );
    }
  }, 60_000);
});
