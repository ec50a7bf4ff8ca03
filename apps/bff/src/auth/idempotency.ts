import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { isMutation } from './access-rules.js';

interface Entry {
  fingerprint: string;
  expiresAt: number;
  response: { status: number; payload: string; contentType: string } | null;
}

const keyPattern = /^[A-Za-z0-9_-]{8,128}$/;
const ttlMs = 24 * 60 * 60 * 1000;
const maxEntries = 10_000;

/**
 * A change sent twice (double click, retry after a timeout) happens once: the second request with
 * the same Idempotency-Key gets the first one's answer. Kept in memory for 24 h; changes that must
 * outlive a restart (rollbacks) record their key in the store as well.
 */
export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  register(app: FastifyInstance): void {
    app.addHook('preHandler', async (request, reply) => {
      if (request.routeOptions.url === undefined || !isMutation(request.method)) return;
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || !keyPattern.test(key)) {
        return reply.code(400).send({
          error: {
            code: 'IdempotencyKeyRequired',
            message:
              'Changes need an Idempotency-Key header (8-128 letters, digits, - or _), new for each intended change.',
          },
        });
      }
      const id = `${request.identity?.user ?? request.ip} ${key}`;
      let body: string;
      try {
        body = JSON.stringify(request.body ?? null);
      } catch {
        // A body nested deeper than the stack (found by the fuzz test) is refused, not a 500.
        return reply.code(400).send({
          error: { code: 'BodyUnreadable', message: 'The request body is nested too deeply to read.' },
        });
      }
      const fingerprint = createHash('sha256')
        .update(`${request.method} ${request.url} ${body}`)
        .digest('hex');
      this.expire();
      const seen = this.entries.get(id);
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          return reply.code(422).send({
            error: {
              code: 'IdempotencyKeyReused',
              message: 'This Idempotency-Key was used for a different change.',
            },
          });
        }
        if (!seen.response) {
          return reply.code(409).send({
            error: { code: 'ChangeInProgress', message: 'The same change is still being carried out.' },
          });
        }
        return reply
          .code(seen.response.status)
          .header('content-type', seen.response.contentType)
          .header('idempotent-replay', 'true')
          .send(seen.response.payload);
      }
      this.entries.set(id, { fingerprint, expiresAt: this.now() + ttlMs, response: null });
      request.idempotencyId = id;
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const id = request.idempotencyId;
      const entry = id ? this.entries.get(id) : undefined;
      if (!id || !entry || entry.response) return payload;
      if (reply.statusCode >= 500)
        this.entries.delete(id); // a failure may be retried with the same key
      else
        entry.response = {
          status: reply.statusCode,
          payload: typeof payload === 'string' ? payload : String(payload ?? ''),
          contentType: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
        };
      return payload;
    });
  }

  private expire(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt <= now || this.entries.size > maxEntries) this.entries.delete(id);
      else break; // insertion order is expiry order
    }
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyId?: string;
  }
}
