import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { logRequestsWorthReading } from './request-log.js';

async function serverLogging(slowMs: number) {
  const lines: Array<{ msg: string; method?: string; status?: number }> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const app = Fastify({ logger: { level: 'info', stream }, disableRequestLogging: true });
  logRequestsWorthReading(app, slowMs);
  app.get('/api/v1/overview', async () => ({ ok: true }));
  app.post('/api/v1/rollbacks', async () => ({ ok: true }));
  await app.ready();
  return { app, lines };
}

describe('request logging on the hot path', () => {
  it('writes nothing for a quick read, a line for a change and one for a refused request', async () => {
    const { app, lines } = await serverLogging(60_000);
    for (let i = 0; i < 20; i++) await app.inject({ method: 'GET', url: '/api/v1/overview' });
    expect(lines).toEqual([]);
    await app.inject({ method: 'POST', url: '/api/v1/rollbacks' });
    await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(lines.map((l) => [l.msg, l.method, l.status])).toEqual([
      ['change', 'POST', 200],
      ['refused', 'GET', 404],
    ]);
    await app.close();
  });

  it('writes a warning for a read slower than the threshold', async () => {
    const { app, lines } = await serverLogging(0);
    await app.inject({ method: 'GET', url: '/api/v1/overview' });
    expect(lines.map((l) => l.msg)).toEqual(['slow request']);
    await app.close();
  });
});
