/**
 * The figures issue 12 sets goals for, each printed beside its goal: the overview under 200
 * concurrent connections, its compressed size and a conditional request, change fan-out to 500 SSE
 * clients, their bytes per minute, the BFF's memory with a stalled client, and the first page's JS.
 */
import { request } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { openEventStreamClient, type EventStreamClient } from '@flightdeck/bff/testing/event-stream-client';
import { firstPageBudgetBytes, firstPageScripts } from '../support/first-page.js';
import type { BffProcess } from './bff-process.js';
import { overviewUnderLoad } from './overview-load-process.js';
import { ms, percentile, table } from './stats.js';

const sleep = (msToWait: number) => new Promise((r) => setTimeout(r, msToWait));
const viewer = (n: number) => ({
  'x-forwarded-user': `goal-${n}`,
  'x-forwarded-email': `goal-${n}@bench.local`,
});
/** After pausing the sandbox: polls already under way land, then the quiet minute is measured. */
const quietSettleMs = 10_000;
const quietMs = 60_000;
type Control = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export interface GoalRow {
  figure: string;
  value: string;
  goal: string;
  met: boolean;
}

/** Raw bytes of one GET (no client-side decompression), with its status and headers. */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; bytes: number; etag: string | undefined }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, etag: res.headers.etag }));
    })
      .on('error', reject)
      .end();
  });
}

export async function measureGoals(
  bff: BffProcess,
  base: string,
  control: Control,
  sseClients: number,
  loadMs: number,
): Promise<GoalRow[]> {
  const rows: GoalRow[] = [];
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;

  // Warm-up (connections, JIT), not measured; then the measured run, the BFF's CPU counted over it.
  await overviewUnderLoad(base, 200, 2_000);
  const cpuAtStart = bff.cpuMs();
  const load = await overviewUnderLoad(base, 200, loadMs);
  const bffCpuMs = bff.cpuMs() - cpuAtStart;
  // Other work on the machine shows in the latencies, not in the CPU per request: say how much.
  const machineLoad = loadavg()[0]!.toFixed(1);
  const served = load.latencies.length;
  const p99 = percentile(load.latencies, 99);
  rows.push({
    figure: `overview at 200 connections (${load.perSecond.toFixed(0)} req/s, ${served} answers), p50 ${ms(percentile(load.latencies, 50))}, p99`,
    value: ms(p99),
    goal: '≤ 50 ms',
    met: p99 <= 50,
  });
  rows.push({
    figure: '  timeouts (2 s) / failures',
    value: `${load.timeouts} / ${load.failed}`,
    goal: '0',
    met: load.timeouts + load.failed === 0,
  });
  rows.push({
    figure: `  CPU per request: BFF process / load generator process (machine load average ${machineLoad} on ${availableParallelism()} cores)`,
    value: `${((bffCpuMs * 1000) / served).toFixed(0)} µs / ${((load.cpuMs * 1000) / served).toFixed(0)} µs`,
    goal: 'report',
    met: true,
  });

  const plain = await rawGet(`${base}/api/v1/overview`, viewer(0));
  const br = await rawGet(`${base}/api/v1/overview`, { ...viewer(0), 'accept-encoding': 'br' });
  const gz = await rawGet(`${base}/api/v1/overview`, { ...viewer(0), 'accept-encoding': 'gzip' });
  const again = await rawGet(`${base}/api/v1/overview`, { ...viewer(0), 'if-none-match': gz.etag ?? '' });
  rows.push({
    figure: `overview body: ${kb(plain.bytes)} JSON, gzip ${kb(gz.bytes)}, brotli`,
    value: kb(br.bytes),
    goal: '≤ 20 KB',
    met: br.bytes <= 20 * 1024,
  });
  rows.push({
    figure: '  conditional request (If-None-Match)',
    value: `${again.status}, ${again.bytes} B`,
    goal: '304',
    met: again.status === 304 || again.etag !== gz.etag,
  });

  // 500 live viewers, one stalled (never reads): publish → receive for each change, and their bytes.
  const delays: number[] = [];
  const bytesByEvent = new Map<string, number>();
  const clients: EventStreamClient[] = await Promise.all(
    Array.from({ length: sseClients }, (_, v) =>
      openEventStreamClient(`${base}/api/v1/events`, {
        headers: viewer(v),
        keep: false,
        onEvent: (e) => {
          if (e.event !== 'source') {
            bytesByEvent.set(e.event, (bytesByEvent.get(e.event) ?? 0) + e.data.length);
            return;
          }
          const { serverTime, source } = JSON.parse(e.data) as { serverTime: string; source: string };
          const key = `source ${source}`;
          bytesByEvent.set(key, (bytesByEvent.get(key) ?? 0) + e.data.length);
          delays.push(Date.now() - Date.parse(serverTime));
        },
      }),
    ),
  );
  const stalled = await openEventStreamClient(`${base}/api/v1/events`, {
    headers: viewer(9_999),
    keep: false,
  });
  stalled.pause();
  await sleep(2_000);
  bytesByEvent.clear();
  delays.length = 0;
  bff.resetPeak();
  const started = performance.now();
  const bytesAtStart = clients.reduce((s, c) => s + c.bytes, 0);
  for (let c = 0; c < 3; c++) {
    await control('POST', 'faults', {
      service: 'RDS',
      operation: 'DescribeDBSnapshots',
      kind: 'error5xx',
      remaining: 3,
    });
    await sleep(4_000);
    await control('POST', 'faults', {
      service: 'RDS',
      operation: 'DescribeDBSnapshots',
      kind: 'latency',
      latencyMs: 50,
    });
    await sleep(4_000);
  }
  const minutes = (performance.now() - started) / 60_000;
  const perClientPerMin = (clients.reduce((s, c) => s + c.bytes, 0) - bytesAtStart) / sseClients / minutes;
  const delayP99 = percentile(delays, 99);
  const breakdown = (m: number) =>
    [...bytesByEvent].map(([e, b]) => `${e} ${kb(b / sseClients / m)}`).join(', ') || 'nothing';
  rows.push({
    figure: `publish → each of ${sseClients} SSE clients, p99 (${delays.length} deliveries)`,
    value: ms(delayP99),
    goal: '≤ 200 ms',
    met: delayP99 <= 200,
  });
  rows.push({
    figure: `  SSE bytes per client per minute while data changes: 3 RDS failures + recoveries, the sandbox's traffic (${breakdown(minutes)})`,
    value: kb(perClientPerMin),
    goal: 'report',
    met: true,
  });

  // Nothing changes: the sandbox's clock paused (no new traffic, logs or datapoints; log reads
  // answered as of the pause). After a settle, a whole minute: what the stream then costs.
  await control('POST', 'clock/pause');
  await sleep(quietSettleMs);
  bytesByEvent.clear();
  const quietStarted = performance.now();
  const quietAtStart = clients.reduce((s, c) => s + c.bytes, 0);
  await sleep(quietMs);
  const quietMinutes = (performance.now() - quietStarted) / 60_000;
  const quietPerMin = (clients.reduce((s, c) => s + c.bytes, 0) - quietAtStart) / sseClients / quietMinutes;
  await control('POST', 'clock/resume');
  rows.push({
    figure: `  SSE bytes per client per minute while nothing changes (sandbox paused ${quietMs / 1000} s: ${breakdown(quietMinutes)})`,
    value: kb(quietPerMin),
    goal: '< 5 KB',
    met: quietPerMin < 5 * 1024,
  });
  const rss = bff.peakRssMb();
  rows.push({
    figure: `BFF peak RSS, ${sseClients} SSE clients + 1 stalled, over both`,
    value: `${rss.toFixed(0)} MiB`,
    goal: 'bounded (report)',
    met: true,
  });
  for (const c of clients) c.close();
  stalled.close();

  const scripts = firstPageScripts();
  const firstPage = scripts.reduce((s, f) => s + f.gzipBytes, 0);
  rows.push({
    figure: `first page JS, gzipped (${scripts.length} files)`,
    value: kb(firstPage),
    goal: '≤ 150 KB',
    met: firstPage <= firstPageBudgetBytes,
  });
  return rows;
}

export function printGoals(rows: GoalRow[]): void {
  console.log(
    `\n${table([
      ['Goals (issue 12)', 'measured', 'goal', ''],
      ...rows.map((r) => [r.figure, r.value, r.goal, r.met ? 'met' : 'MISSED']),
    ])}`,
  );
}
