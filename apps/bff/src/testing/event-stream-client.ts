import { request as httpRequest, type IncomingMessage } from 'node:http';
import { constants, createGunzip } from 'node:zlib';
import { parseEventStream, type EventStreamMessage } from '@flightdeck/contracts';

export interface ReceivedEvent extends EventStreamMessage {
  /** performance.now() when the event was parsed. */
  receivedAt: number;
}

export interface EventStreamClient {
  readonly status: number;
  /** Every event received, unless the client was opened with `keep: false`. */
  readonly events: ReceivedEvent[];
  /** Events received so far, kept or not. */
  readonly count: number;
  /** Bytes received so far, as they came on the wire (compressed when the server compressed). */
  readonly bytes: number;
  /** Bytes of events received so far, decompressed. */
  readonly decodedBytes: number;
  /** The response's Content-Encoding, if any. */
  readonly contentEncoding: string | undefined;
  /** Resolves when the server ends the stream or the connection drops. */
  readonly ended: Promise<void>;
  /** Stops reading the socket, as a stalled browser would: the server sees backpressure. */
  pause(): void;
  resume(): void;
  close(): void;
  /** Resolves with the first event (already received or coming) that matches. */
  waitFor(match: (e: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
}

export interface EventStreamOptions {
  headers?: Record<string, string>;
  /** Keep received events in `events` (default true); benchmarks with many clients turn it off. */
  keep?: boolean;
  onEvent?: (event: ReceivedEvent) => void;
  /** Sent as Accept-Encoding; a gzip answer is decompressed as it arrives, as a browser does. */
  acceptEncoding?: string;
}

/**
 * A server-sent events client over plain node:http, so a test controls the socket: it can stop
 * reading (`pause`) to play a slow client, and send Last-Event-ID itself.
 */
export function openEventStreamClient(
  url: string,
  options: EventStreamOptions = {},
): Promise<EventStreamClient> {
  const keep = options.keep ?? true;
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      headers: {
        accept: 'text/event-stream',
        ...(options.acceptEncoding ? { 'accept-encoding': options.acceptEncoding } : {}),
        ...options.headers,
      },
    });
    req.once('error', reject);
    req.once('response', (res: IncomingMessage) => {
      const events: ReceivedEvent[] = [];
      const waiters = new Set<{
        match: (e: ReceivedEvent) => boolean;
        resolve: (e: ReceivedEvent) => void;
      }>();
      let count = 0;
      let bytes = 0;
      let decodedBytes = 0;
      let buffer = '';
      const contentEncoding = res.headers['content-encoding'];
      res.on('data', (chunk: Buffer | string) => {
        bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      });
      // Z_SYNC_FLUSH: hand over what each flushed frame holds, as a browser's decoder does.
      const body =
        contentEncoding === 'gzip' ? res.pipe(createGunzip({ finishFlush: constants.Z_SYNC_FLUSH })) : res;
      if (body !== res) body.on('error', () => res.destroy());
      body.setEncoding('utf8');
      const ended = new Promise<void>((done) => {
        res.once('end', done);
        res.once('close', done);
        res.once('error', () => done());
      });
      body.on('data', (chunk: string) => {
        decodedBytes += Buffer.byteLength(chunk);
        buffer = parseEventStream(buffer + chunk, (message) => {
          const received: ReceivedEvent = { ...message, receivedAt: performance.now() };
          count++;
          if (keep) events.push(received);
          options.onEvent?.(received);
          for (const waiter of waiters) {
            if (waiter.match(received)) {
              waiters.delete(waiter);
              waiter.resolve(received);
            }
          }
        });
      });
      resolve({
        status: res.statusCode ?? 0,
        events,
        get count() {
          return count;
        },
        get bytes() {
          return bytes;
        },
        get decodedBytes() {
          return decodedBytes;
        },
        contentEncoding,
        ended,
        pause: () => res.pause(),
        resume: () => res.resume(),
        close: () => {
          req.destroy();
          res.destroy();
        },
        waitFor(match, timeoutMs = 10_000) {
          const seen = events.find(match);
          if (seen) return Promise.resolve(seen);
          return new Promise((resolveWait, rejectWait) => {
            const waiter = {
              match,
              resolve: (e: ReceivedEvent) => {
                clearTimeout(timer);
                resolveWait(e);
              },
            };
            waiters.add(waiter);
            const timer = setTimeout(() => {
              waiters.delete(waiter);
              rejectWait(new Error(`no matching event within ${timeoutMs} ms (got ${count})`));
            }, timeoutMs);
            timer.unref();
            void ended.then(() => {
              if (!waiters.has(waiter)) return;
              waiters.delete(waiter);
              clearTimeout(timer);
              rejectWait(new Error(`stream ended before a matching event (got ${count})`));
            });
          });
        },
      });
    });
    req.end();
  });
}
