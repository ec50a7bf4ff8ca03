/**
 * Memory on the embedded store: the production build (compiled, plain node) with PGlite in a data
 * folder, as `pnpm start:production` runs it by default, after the overview's load and a crowd of
 * SSE clients. Prints resident memory after the load (and its peak) with where it goes: the V8
 * heap, ArrayBuffers (PGlite's WebAssembly memory among them), and the rest.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStreamClient, type EventStreamClient } from '@flightdeck/bff/testing/event-stream-client';
import { awsModeConfig } from '../support/aws-mode-config.js';
import { startBffProcess } from './bff-process.js';
import type { SandboxProcess } from './sandbox-process.js';
import { overviewUnderLoad } from './overview-load-process.js';

export interface MemoryResult {
  /** VmRSS 3 s after the load. */
  rssAfterMb: number;
  /** VmRSS 20 s after the load: V8 has had time to give back what the load's garbage took. */
  rssSettledMb: number;
  /** VmHWM over the load. */
  peakMb: number;
  /** VmRSS once started and ready, before any load. */
  rssIdleMb: number;
  /** From /proc/<pid>/smaps_rollup: anonymous memory and file-backed (code) pages. */
  anonMb: number;
  fileMb: number;
  requests: number;
  sseClients: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function status(pid: number, field: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.replace(/\D+/g, '')) / 1024 : Number.NaN;
}

function rollup(pid: number, field: string): number {
  try {
    const line = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export async function measureEmbeddedMemory(
  sandbox: SandboxProcess,
  intervals: Record<string, number>,
  options: { loadMs: number; sseClients: number; env: Record<string, string> },
): Promise<MemoryResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flightdeck-bench-store-'));
  // BENCH_MEMORY_NODE_OPTIONS (e.g. --max-old-space-size=48) tries V8 settings on this BFF only.
  const nodeOptions = process.env.BENCH_MEMORY_NODE_OPTIONS;
  const bff = await startBffProcess(awsModeConfig(sandbox, { store: { dataDir }, intervals }), {
    ...options.env,
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  });
  const clients: EventStreamClient[] = [];
  try {
    for (let i = 0; i < 100 && (await fetch(`${bff.url}/readyz`)).status !== 200; i++) await sleep(200);
    await sleep(2_000);
    const rssIdleMb = status(bff.pid, 'VmRSS');
    bff.resetPeak();
    // A crowd of browsers on the event stream (gzip, as browsers ask), then the overview's load.
    for (let v = 0; v < options.sseClients; v++) {
      clients.push(
        await openEventStreamClient(`${bff.url}/api/v1/events`, {
          headers: { 'x-forwarded-user': `mem-${v}`, 'x-forwarded-email': `mem-${v}@bench.local` },
          acceptEncoding: 'gzip, deflate, br',
          keep: false,
        }),
      );
    }
    const load = await overviewUnderLoad(bff.url, 200, options.loadMs);
    await sleep(3_000);
    const peakMb = status(bff.pid, 'VmHWM');
    const rssAfterMb = status(bff.pid, 'VmRSS');
    await sleep(17_000);
    return {
      rssAfterMb,
      rssSettledMb: status(bff.pid, 'VmRSS'),
      peakMb,
      rssIdleMb,
      anonMb: rollup(bff.pid, 'Anonymous'),
      fileMb: rollup(bff.pid, 'Rss') - rollup(bff.pid, 'Anonymous'),
      requests: load.latencies.length,
      sseClients: options.sseClients,
    };
  } finally {
    for (const c of clients) c.close();
    await bff.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
