import type { FastifyReply, FastifyRequest } from 'fastify';

export interface EventStream {
  send(event: string, data: unknown, id?: string): void;
  readonly closed: boolean;
  onClose(listener: () => void): void;
}

/** A client that has this much unsent data is not reading; it is dropped rather than growing our memory. */
const maxBufferedBytes = 1024 * 1024;
const keepAliveMs = 15_000;

/**
 * Server-sent events on a hijacked reply: headers, keep-alive comments (proxies close idle streams),
 * and a bound on what a slow client may hold.
 */
export function openEventStream(request: FastifyRequest, reply: FastifyReply): EventStream {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  let closed = false;
  const closeListeners: Array<() => void> = [];
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepAlive);
    for (const listener of closeListeners) listener();
  };
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs);
  request.raw.on('close', close);
  res.on('close', close);

  return {
    get closed() {
      return closed;
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
    send(event, data, id) {
      if (closed) return;
      if (res.writableLength > maxBufferedBytes) {
        res.end(`event: dropped\ndata: ${JSON.stringify({ reason: 'client too slow' })}\n\n`);
        close();
        return;
      }
      const lines = [`event: ${event}`];
      if (id !== undefined) lines.push(`id: ${id}`);
      lines.push(`data: ${JSON.stringify(data)}`);
      res.write(`${lines.join('\n')}\n\n`);
    },
  };
}
