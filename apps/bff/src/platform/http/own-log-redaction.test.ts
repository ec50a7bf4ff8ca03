import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { secretRedactor } from '@flightdeck/core';
import { describe, expect, it } from 'vitest';
import { redactingLogOptions } from './own-log-redaction.js';

describe('Flightdeck’s own log lines', () => {
  it('are redacted like the tails, with the configured secret fields', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = Fastify({
      logger: { level: 'info', stream, ...redactingLogOptions(secretRedactor(['portal_pin'])) },
    });
    app.log.error(
      { err: new Error('connect failed: postgres://app:pg-S3cr3t@db:5432/x') },
      'alembic source failed',
    );
    app.log.warn('upstream said portal_pin=4711 with Bearer abc.def.ghi');
    await app.close();
    const all = lines.join('\n');
    expect(all).toContain('alembic source failed');
    expect(all).not.toContain('pg-S3cr3t');
    expect(all).not.toContain('4711');
    expect(all).not.toContain('abc.def.ghi');
    expect(all.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(3);
  });
});
