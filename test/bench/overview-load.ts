/**
 * The load generator for "overview at 200 connections", run in a process of its own (forked by
 * goals.ts) so that it neither shares an event loop with the sandbox nor with the bench's SSE
 * clients: like wrk, `connections` keep-alive connections each asking again as soon as it is
 * answered, over plain node:http (bodies stay brotli, as a browser receives them).
 *
 * argv: base URL, connections, duration in ms. Sends one JSON message (LoadResult) to its parent.
 */
import { Agent, request } from 'node:http';

export interface LoadResult {
  latencies: number[];
  timeouts: number;
  failed: number;
  perSecond: number;
  /** CPU this process used (user + system), in ms: what the load generator itself cost. */
  cpuMs: number;
}

const timeoutMs = 2_000;

async function run(base: string, connections: number, durationMs: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let timeouts = 0;
  let failed = 0;
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  const end = started + durationMs;
  const once = (c: number) =>
    new Promise<void>((resolve) => {
      const t = performance.now();
      const req = request(
        `${base}/api/v1/overview`,
        {
          agent,
          headers: {
            'x-forwarded-user': `goal-${c}`,
            'x-forwarded-email': `goal-${c}@bench.local`,
            'accept-encoding': 'br',
          },
          timeout: timeoutMs,
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => {
            if (res.statusCode === 200) latencies.push(performance.now() - t);
            else failed++;
            resolve();
          });
        },
      );
      req.on('timeout', () => {
        timeouts++;
        req.destroy();
      });
      req.on('error', () => {
        if (!req.destroyed || performance.now() - t < timeoutMs) failed++;
        resolve();
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      while (performance.now() < end) await once(c);
    }),
  );
  const elapsed = performance.now() - started;
  agent.destroy();
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    latencies,
    timeouts,
    failed,
    perSecond: (latencies.length * 1000) / elapsed,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

const [base, connections, durationMs] = process.argv.slice(2);
if (base && process.send) {
  const result = await run(base, Number(connections), Number(durationMs));
  process.send(result, () => process.exit(0));
}
