/**
 * The load generator for "overview at 200 connections", run in a process of its own (forked by
 * goals.ts) so that it shares an event loop with neither the sandbox nor the bench's SSE clients.
 * Like wrk: `connections` keep-alive connections, each sending its next request as soon as the
 * previous answer is complete. It speaks HTTP/1.1 over net sockets with each connection's request
 * prebuilt, because node:http's client cost more CPU per request than the server it measured, and
 * on two cores the two compete. Bodies stay brotli, as a browser receives them.
 *
 * argv: base URL, connections, duration in ms, path (default the overview). Sends one JSON message
 * (LoadResult) to its parent.
 */
import { connect, type Socket } from 'node:net';

export interface LoadResult {
  latencies: number[];
  timeouts: number;
  failed: number;
  perSecond: number;
  /** CPU this process used (user + system), in ms: what the load generator itself cost. */
  cpuMs: number;
}

const timeoutMs = 2_000;
const headerEnd = Buffer.from('\r\n\r\n');

function run(base: string, connections: number, durationMs: number, path: string): Promise<LoadResult> {
  const url = new URL(`${base}${path}`);
  const latencies: number[] = [];
  let timeouts = 0;
  let failed = 0;
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  const end = started + durationMs;

  return new Promise((resolve) => {
    let open = connections;
    const connectionDone = () => {
      if (--open > 0) return;
      clearInterval(watchdog);
      const elapsed = performance.now() - started;
      const cpu = process.cpuUsage(cpuAtStart);
      resolve({
        latencies,
        timeouts,
        failed,
        perSecond: (latencies.length * 1000) / elapsed,
        cpuMs: (cpu.user + cpu.system) / 1000,
      });
    };
    const live = new Set<{ sentAt: number; socket: Socket }>();
    // One timer for all connections: a request unanswered for 2 s counts as a timeout and its
    // connection is replaced, as wrk does.
    const watchdog = setInterval(() => {
      const now = performance.now();
      for (const c of live) {
        if (c.sentAt > 0 && now - c.sentAt > timeoutMs) {
          timeouts++;
          c.sentAt = 0;
          c.socket.destroy();
        }
      }
    }, 100);

    const startConnection = (c: number) => {
      const request = Buffer.from(
        `GET ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\nx-forwarded-user: goal-${c}\r\n` +
          `x-forwarded-email: goal-${c}@bench.local\r\naccept-encoding: br\r\nconnection: keep-alive\r\n\r\n`,
      );
      const socket = connect(Number(url.port), url.hostname);
      socket.setNoDelay(true);
      const state = { sentAt: 0, socket };
      live.add(state);
      let buffered: Buffer = Buffer.alloc(0);
      let needed = -1; // bytes of the whole response once its headers are read
      let status = 0;
      const send = () => {
        if (performance.now() >= end) {
          state.sentAt = 0;
          socket.end();
          return;
        }
        state.sentAt = performance.now();
        socket.write(request);
      };
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        for (;;) {
          if (needed < 0) {
            const at = buffered.indexOf(headerEnd);
            if (at < 0) return;
            const head = buffered.subarray(0, at).toString('latin1');
            status = Number(head.slice(9, 12));
            const length = /\r\ncontent-length: *(\d+)/i.exec(head);
            needed = at + 4 + (length ? Number(length[1]) : 0);
          }
          if (buffered.length < needed) return;
          if (status === 200) latencies.push(performance.now() - state.sentAt);
          else failed++;
          buffered = buffered.subarray(needed);
          needed = -1;
          send();
        }
      });
      socket.on('error', () => {
        if (state.sentAt > 0) failed++;
        state.sentAt = 0;
      });
      socket.on('close', () => {
        live.delete(state);
        // A connection lost to a timeout or an error is replaced while the run lasts.
        if (performance.now() < end) startConnection(c);
        else connectionDone();
      });
    };
    for (let c = 0; c < connections; c++) startConnection(c);
  });
}

const [base, connections, durationMs, path = '/api/v1/overview'] = process.argv.slice(2);
if (base && process.send) {
  const result = await run(base, Number(connections), Number(durationMs), path);
  process.send(result, () => process.exit(0));
}
