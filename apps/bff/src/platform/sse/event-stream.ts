import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { acceptsGzip, GzipFrames } from './gzip-frames.js';
import { sseFrame } from './sse-frame.js';

/** The transport a live stream writes to, with the socket's backpressure visible (see collect/tail-subscription). */
export interface EventSink {
  /** Writes pre-formatted frames; false means the client is not keeping up (wait for drain). */
  write(chunk: string): boolean;
  /** Runs once when the socket has flushed after a `write` returned false. */
  onDrain(listener: () => void): void;
  /** Bytes written but not yet taken by the client's socket. */
  readonly bufferedBytes: number;
  /** Sends a last frame (a notice) and closes; a client that never reads it is cut off shortly after. */
  end(finalChunk?: string): void;
  readonly closed: boolean;
  onClose(listener: () => void): void;
}

export interface EventStream extends EventSink {
  send(event: string, data: unknown, id?: string): void;
  /** Sends a frame already formatted (one string shared by every client). */
  sendFrame(frame: string): void;
}

/** A client that has this much unsent data is not reading; it is dropped rather than growing our memory. */
const maxBufferedBytes = 1024 * 1024;
const keepAliveMs = 15_000;
/** How long a dropped client gets to take its notice before the socket is destroyed. */
const endGraceMs = 2_000;

/**
 * Server-sent events on a hijacked reply: headers, keep-alive comments (proxies close idle streams),
 * and a bound on what a slow client may hold. Gzip when the client takes it, each frame flushed as
 * it is written (gzip-frames.ts): a new client's snapshot costs a few KB on the wire, not 117.
 */
export function openEventStream(request: FastifyRequest, reply: FastifyReply): EventStream {
  reply.hijack();
  const res = reply.raw;
  const gzip = acceptsGzip(request.headers['accept-encoding']) ? new GzipFrames() : null;
  res.writeHead(200, {
    // The reply's own headers so far: the security headers every reply carries.
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    vary: 'accept-encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  /** Writes a frame shared by every client (deflated once) or one of this client's own. */
  const put = (text: string, shared: boolean): boolean => {
    if (!gzip) return res.write(text);
    return res.write(shared ? gzip.shared(text) : gzip.own(text));
  };
  if (gzip) res.write(gzip.start());
  put('retry: 2000\n\n', true);
  let closed = false;
  const closeListeners: Array<() => void> = [];
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepAlive);
    for (const listener of closeListeners) listener();
  };
  // Only when the socket has room: a comment must not pile up behind a stalled client.
  const keepAlive = setInterval(() => {
    if (!closed && !res.writableNeedDrain) put(': keep-alive\n\n', true);
  }, keepAliveMs);
  request.raw.on('close', close);
  res.on('close', close);

  const stream: EventStream = {
    get closed() {
      return closed;
    },
    get bufferedBytes() {
      return res.writableLength;
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
    onDrain(listener) {
      res.once('drain', listener);
    },
    write(chunk) {
      if (closed) return false;
      return put(chunk, false);
    },
    end(finalChunk) {
      if (closed) return;
      if (finalChunk !== undefined) put(finalChunk, false);
      res.end(gzip ? gzip.end() : undefined);
      close();
      setTimeout(() => res.destroy(), endGraceMs).unref();
    },
    send(event, data, id) {
      stream.sendFrame(sseFrame(event, data, id));
    },
    sendFrame(frame) {
      if (closed) return;
      if (res.writableLength > maxBufferedBytes) {
        stream.end(sseFrame('dropped', { reason: 'client too slow', resumeFrom: null }));
        return;
      }
      put(frame, true);
    },
  };
  return stream;
}
