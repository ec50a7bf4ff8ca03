/**
 * Issue 23's figures, each printed with a one-line summary: the BFF's resident memory on its
 * embedded store after the load, what a new SSE client's first event costs on the wire, and the
 * overview's rate beside a bare Fastify sending the same bytes.
 */
import { request } from 'node:http';
import { openEventStreamClient } from '@flightdeck/bff/testing/event-stream-client';
import type { MemoryResult } from './memory.js';
import type { RateResult } from './overview-vs-bare.js';
import { ms } from './stats.js';

export interface SseFirstEvent {
  /** The snapshot event's data, decoded. */
  snapshotBytes: number;
  /** What came on the wire up to and including the snapshot (gzip: header and deflated frames). */
  wireBytes: number;
  encoding: string;
  overviewGzipBytes: number;
  overviewBrotliBytes: number;
}

function rawBytes(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve(bytes));
    })
      .on('error', reject)
      .end();
  });
}

/** A new browser's first event, as a browser asks for it (Accept-Encoding: gzip, deflate, br). */
export async function measureSseFirstEvent(base: string): Promise<SseFirstEvent> {
  const who = { 'x-forwarded-user': 'first-event', 'x-forwarded-email': 'first-event@bench.local' };
  const client = await openEventStreamClient(`${base}/api/v1/events`, {
    headers: who,
    acceptEncoding: 'gzip, deflate, br',
  });
  try {
    const snapshot = await client.waitFor((e) => e.event === 'snapshot');
    return {
      snapshotBytes: Buffer.byteLength(snapshot.data),
      wireBytes: client.bytes,
      encoding: client.contentEncoding ?? 'none',
      overviewGzipBytes: await rawBytes(`${base}/api/v1/overview`, { ...who, 'accept-encoding': 'gzip' }),
      overviewBrotliBytes: await rawBytes(`${base}/api/v1/overview`, { ...who, 'accept-encoding': 'br' }),
    };
  } finally {
    client.close();
  }
}

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const mib = (m: number) => `${m.toFixed(0)} MiB`;

export function printFirstSecond(
  memory: MemoryResult | null,
  sse: SseFirstEvent | null,
  rate: RateResult | null,
): string[] {
  const lines: string[] = [];
  if (memory) {
    console.log(
      `\nRSS on the embedded store (PGlite in a folder, production build): idle ${mib(memory.rssIdleMb)}, ` +
        `after ${memory.requests} overview requests at 200 connections with ${memory.sseClients} SSE clients ` +
        `${mib(memory.rssAfterMb)} 3 s after, ${mib(memory.rssSettledMb)} 20 s after (then: anonymous ${mib(memory.anonMb)}, ` +
        `code and files ${mib(memory.fileMb)}), peak ${mib(memory.peakMb)}`,
    );
    lines.push(
      `RSS after load ${mib(memory.rssAfterMb)}, settled ${mib(memory.rssSettledMb)} (goal ≤ 250 MiB: ${memory.rssSettledMb <= 250 ? 'met' : 'MISSED'})`,
    );
    console.log(`  summary: ${lines.at(-1)}`);
  }
  if (sse) {
    console.log(
      `\nSSE first event: the snapshot is ${kb(sse.snapshotBytes)} of events, ${kb(sse.wireBytes)} on the wire ` +
        `(${sse.encoding}); the overview compressed: gzip ${kb(sse.overviewGzipBytes)}, brotli ${kb(sse.overviewBrotliBytes)}`,
    );
    lines.push(
      `SSE first event ${kb(sse.wireBytes)} on the wire (gzip overview ${kb(sse.overviewGzipBytes)})`,
    );
    console.log(`  summary: ${lines.at(-1)}`);
  }
  if (rate) {
    console.log('\nOverview at 200 connections, Flightdeck beside a bare Fastify sending the same bytes:');
    rate.runs.forEach((r, i) =>
      console.log(
        `  pair ${i + 1}${i === 0 ? ' (cold)' : ''}${i % 2 === 1 ? ' (bare first)' : ''}: Flightdeck ${r.flightdeck.perSecond.toFixed(0)} req/s, p99 ${ms(r.flightdeck.p99)}, ` +
          `${r.flightdeck.cpuUsPerRequest.toFixed(0)} µs CPU/request; bare ${r.bare.perSecond.toFixed(0)} req/s, ` +
          `p99 ${ms(r.bare.p99)}, ${r.bare.cpuUsPerRequest.toFixed(0)} µs CPU/request; ratio ${(r.flightdeck.perSecond / r.bare.perSecond).toFixed(2)}` +
          `${r.flightdeck.failed + r.bare.failed > 0 ? `; failed ${r.flightdeck.failed}/${r.bare.failed}` : ''}`,
      ),
    );
    const cpuRatios = rate.runs
      .map((r) => r.bare.cpuUsPerRequest / r.flightdeck.cpuUsPerRequest)
      .sort((a, b) => a - b);
    lines.push(
      `overview rate ${(rate.ratio * 100).toFixed(0)} % of bare (median of ${rate.runs.length}; goal ≥ 80 %: ` +
        `${rate.ratio >= 0.8 ? 'met' : 'MISSED'}), CPU-per-request ratio ${(cpuRatios[Math.floor(cpuRatios.length / 2)]! * 100).toFixed(0)} %, ` +
        `cold p99 ${ms(rate.coldP99)} (goal < 50 ms: ${rate.coldP99 < 50 ? 'met' : 'MISSED'})`,
    );
    console.log(`  summary: ${lines.at(-1)}`);
  }
  return lines;
}
