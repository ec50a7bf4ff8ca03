import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazyRequestLogger } from './lazy-request-logger.js';

describe('the request logger made on first use', () => {
  it('writes a request’s lines with its request id, and a read that logs nothing still answers', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = Fastify({
      logger: { level: 'info', stream },
      disableRequestLogging: true,
      childLoggerFactory: lazyRequestLogger,
    });
    app.get('/quiet', async () => ({ ok: true }));
    app.get('/loud', async (request) => {
      request.log.warn({ what: 'x' }, 'something worth a line');
      request.log.child({ part: 'inner' }).info('from a child');
      return { ok: true };
    });
    expect((await app.inject('/quiet')).json()).toEqual({ ok: true });
    expect(lines).toHaveLength(0);
    const loud = await app.inject('/loud');
    expect(loud.statusCode).toBe(200);
    await app.close();
    const written = lines.map((l) => JSON.parse(l) as { reqId: string; msg: string; part?: string });
    expect(written.map((l) => l.msg)).toEqual(['something worth a line', 'from a child']);
    expect(written.every((l) => l.reqId === written[0]!.reqId && l.reqId)).toBe(true);
    expect(written[1]!.part).toBe('inner');
  });
});
