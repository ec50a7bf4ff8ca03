/**
 * The overview's rate against a bare Fastify sending the same bytes, side by side: pairs of runs
 * under the same machine load, each at 200 connections, Flightdeck first in odd pairs and bare first
 * in even ones; the ratio is the median of the pairs'. The first Flightdeck run has no warm-up of
 * its own: its p99 is the cold one.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BffProcess } from './bff-process.js';
import { overviewUnderLoad, type LoadResult } from './overview-load-process.js';
import { percentile } from './stats.js';

const bareScript = fileURLToPath(new URL('./bare-overview.ts', import.meta.url));

export interface RateRun {
  flightdeck: { perSecond: number; p99: number; cpuUsPerRequest: number; failed: number };
  bare: { perSecond: number; p99: number; cpuUsPerRequest: number; failed: number };
}

export interface RateResult {
  runs: RateRun[];
  /** Median of the runs' Flightdeck ÷ bare rates. */
  ratio: number;
  coldP99: number;
}

function startBare(bffBase: string) {
  return new Promise<{ url: string; pid: number; stop(): void }>((resolve, reject) => {
    const child = fork(bareScript, [bffBase], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) =>
      resolve({ url: (m as { url: string }).url, pid: child.pid!, stop: () => child.kill() }),
    );
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
}

function cpuMsOf(pid: number): number {
  // utime + stime (fields 14, 15) in clock ticks of 10 ms.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function measured(url: string, pid: number, loadMs: number) {
  const cpuAtStart = cpuMsOf(pid);
  const load: LoadResult = await overviewUnderLoad(url, 200, loadMs);
  const served = load.latencies.length;
  return {
    perSecond: load.perSecond,
    p99: percentile(load.latencies, 99),
    cpuUsPerRequest: served > 0 ? ((cpuMsOf(pid) - cpuAtStart) * 1000) / served : Number.NaN,
    failed: load.failed + load.timeouts,
  };
}

export async function measureOverviewVsBare(
  bff: BffProcess,
  runs: number,
  loadMs: number,
): Promise<RateResult> {
  const bare = await startBare(bff.url);
  try {
    const results: RateRun[] = [];
    for (let r = 0; r < runs; r++) {
      // Which goes first alternates (the first run is Flightdeck's, cold), so a machine getting
      // busier or quieter over a pair does not always favour the same side.
      if (r % 2 === 0) {
        const flightdeck = await measured(bff.url, bff.pid, loadMs);
        results.push({ flightdeck, bare: await measured(bare.url, bare.pid, loadMs) });
      } else {
        const bareRun = await measured(bare.url, bare.pid, loadMs);
        results.push({ flightdeck: await measured(bff.url, bff.pid, loadMs), bare: bareRun });
      }
    }
    const ratios = results.map((r) => r.flightdeck.perSecond / r.bare.perSecond).sort((a, b) => a - b);
    return {
      runs: results,
      ratio: ratios[Math.floor(ratios.length / 2)]!,
      coldP99: results[0]!.flightdeck.p99,
    };
  } finally {
    bare.stop();
  }
}
