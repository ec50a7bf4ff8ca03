import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TailLine, TailStatus } from '@flightdeck/contracts';
import { LogTailConnection, type TailConnection } from './log-tail-connection';

/** One request the tail made, and the script the test server answers it with. */
type Attempt = (response: ServerResponse) => void;

interface TailServer {
  origin: string;
  requests: Array<{ url: string; headers: IncomingHttpHeaders; closed: boolean }>;
  close: () => Promise<void>;
}

/** A tiny SSE server answering the n-th request with the n-th script; later ones stay open, silent. */
async function startTailServer(attempts: Attempt[]): Promise<TailServer> {
  const requests: TailServer['requests'] = [];
  const server = createServer((request, response) => {
    const seen = { url: request.url ?? '', headers: request.headers, closed: false };
    requests.push(seen);
    response.on('close', () => (seen.closed = true));
    const attempt = attempts[requests.length - 1];
    if (attempt) attempt(response);
    else response.writeHead(200, { 'content-type': 'text/event-stream' }).flushHeaders();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const line = (seq: number, eventId = `ev-${seq}`): TailLine => ({
  seq,
  eventId,
  timestamp: '2026-02-03T06:20:00.000Z',
  logStream: '2026/02/03/[$LATEST]abc',
  message: `line ${seq}`,
  severity: 'info',
  schemaError: null,
});

const sse = (event: string, data: unknown, id?: string) =>
  `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const stream = (response: ServerResponse, ...messages: string[]) => {
  response.writeHead(200, { 'content-type': 'text/event-stream' }).flushHeaders();
  for (const message of messages) response.write(message);
};

/** Everything a connection reported, in order. */
function record(connection: LogTailConnection) {
  const seen = {
    lines: [] as TailLine[],
    statuses: [] as TailStatus[],
    connection: [] as Array<[TailConnection, string | null]>,
    notices: [] as string[],
  };
  connection.onLines((lines) => seen.lines.push(...lines));
  connection.onStatus((status) => seen.statuses.push(status));
  connection.onConnection((state, refusal) => seen.connection.push([state, refusal]));
  connection.onNotice((notice) => seen.notices.push(notice));
  return seen;
}

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function open(attempts: Attempt[], filter = '') {
  const server = await startTailServer(attempts);
  cleanup.push(server.close);
  const connection = new LogTailConnection({
    functionName: 'credmate-api',
    filter,
    origin: server.origin,
    reconnectMs: 20,
  });
  cleanup.push(() => connection.close());
  const seen = record(connection);
  connection.connect();
  return { server, connection, seen };
}

describe('LogTailConnection', () => {
  it('asks for the function’s tail with its filter and passes on lines and the server’s status', async () => {
    const status = { functionName: 'credmate-api', pollIntervalMs: 2_000 } as TailStatus;
    const { server, seen } = await open(
      [
        (response) =>
          stream(response, sse('status', status), sse('line', line(1), 'e1-1'), sse('line', line(2), 'e1-2')),
      ],
      '?ERROR ?"does not exist"',
    );

    await expect.poll(() => seen.lines.map((l) => l.message)).toEqual(['line 1', 'line 2']);
    expect(seen.statuses).toEqual([status]);
    expect(seen.connection).toEqual([['live', null]]);
    expect(server.requests[0]!.url).toBe(
      `/api/v1/logs/credmate-api/tail?filter=${encodeURIComponent('?ERROR ?"does not exist"')}`,
    );
    expect(server.requests[0]!.headers['last-event-id']).toBeUndefined();
  });

  it('reconnects after a dropped stream from the last line it got, and shows a repeated line once', async () => {
    const { server, seen } = await open([
      (response) => {
        stream(response, sse('line', line(1), 'e1-1'), sse('line', line(2), 'e1-2'));
        response.end();
      },
      // A restarted tail resends line 2 before the new one.
      (response) =>
        stream(
          response,
          sse('gap', { reason: 'tail-restarted', lastEventId: 'e1-2', resumesAtSeq: 1 }),
          sse('line', line(1, 'ev-2'), 'e2-1'),
          sse('line', line(2, 'ev-3'), 'e2-2'),
        ),
    ]);

    await expect.poll(() => seen.lines.map((l) => l.eventId)).toEqual(['ev-1', 'ev-2', 'ev-3']);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers['last-event-id']).toBe('e1-2');
    expect(seen.connection.map(([state]) => state)).toEqual(['live', 'reconnecting', 'live']);
    expect(seen.notices).toEqual(['The server restarted this tail: lines from the break may be missing.']);
  });

  it('resumes where the server says after dropping a slow browser', async () => {
    const { server, seen } = await open([
      (response) => {
        stream(
          response,
          sse('line', line(1), 'e1-1'),
          sse('dropped', { reason: 'slow-client', resumeFrom: 'e1-7' }),
        );
        response.end();
      },
    ]);

    await expect.poll(() => server.requests.length).toBe(2);
    expect(server.requests[1]!.headers['last-event-id']).toBe('e1-7');
    expect(seen.notices).toEqual([
      'This browser fell behind and was disconnected; reconnecting where it left off.',
    ]);
  });

  it('keeps trying while the server answers 5xx', async () => {
    const failing: Attempt = (response) => response.writeHead(503).end();
    const { server, seen } = await open([failing, failing, (response) => stream(response)]);

    await expect.poll(() => seen.connection.at(-1)?.[0]).toBe('live');
    expect(server.requests).toHaveLength(3);
    expect(seen.connection.map(([state]) => state)).toEqual(['reconnecting', 'reconnecting', 'live']);
  });

  it('stops on a refusal and says why, in the server’s words', async () => {
    const { server, seen } = await open([
      (response) =>
        response
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: 'BadFilter', message: 'Unbalanced quote in the pattern' } })),
    ]);

    await expect.poll(() => seen.connection).toEqual([['refused', 'Unbalanced quote in the pattern']]);
    // Several reconnect delays later, still one request.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.requests).toHaveLength(1);
  });

  it('after close, drops the stream and never reconnects', async () => {
    const { server, connection, seen } = await open([
      (response) => stream(response, sse('line', line(1), 'e1-1')),
    ]);
    await expect.poll(() => seen.lines).toHaveLength(1);

    connection.close();
    await expect.poll(() => server.requests[0]!.closed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 150));

    expect(seen.lines).toHaveLength(1);
    expect(seen.connection).toEqual([['live', null]]);
    expect(server.requests).toHaveLength(1);
  });
});
