import { createHash } from 'node:crypto';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onSendHookHandler,
  preHandlerHookHandler,
} from 'fastify';
import type { Kysely } from 'kysely';
import type { FoundationTables } from '../store/foundation-tables.js';
import { BadInput, Conflict, Unprocessable } from '../errors/errors.js';
import { isMutation } from './access-rules.js';

const keyPattern = /^[A-Za-z0-9_-]{8,128}$/;
const ttlMs = 24 * 60 * 60 * 1000;
/** A key still without an answer this long after it arrived belongs to a request that died (kill -9). */
const abandonedAfterMs = 2 * 60 * 1000;

/**
 * A change sent twice (double click, retry after a timeout, a retry after a restart) happens once:
 * the second request with the same Idempotency-Key gets the first one's answer, from the store, for 24 h.
 * Recording the key is the first write of every change, so a change never acts without its row.
 */
export class IdempotencyKeys {
  constructor(
    private readonly db: Kysely<FoundationTables>,
    private readonly now: () => number = Date.now,
  ) {}

  register(app: FastifyInstance): void {
    // Attached to the changing routes when they are registered: reads run none of this.
    const admitChange: preHandlerHookHandler = (request, reply, done) => {
      if (!isMutation(request.method)) return done();
      // admit answers (and returns the reply) when the change must not run; undefined lets it run.
      this.admit(request, reply).then(
        (answered) => answered === undefined && done(),
        (error: unknown) => done(error as Error),
      );
    };
    const rememberAnswer: onSendHookHandler = (request, reply, payload, done) => {
      if (!request.idempotencyId) return done(null, payload);
      void this.remember(request, reply, payload).then(() => done(null, payload));
    };
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!methods.some(isMutation)) return;
      const list = <T>(hooks: T | T[] | undefined): T[] =>
        hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
      route.preHandler = [...list(route.preHandler as preHandlerHookHandler), admitChange];
      route.onSend = [...list(route.onSend as onSendHookHandler), rememberAnswer];
    });
  }

  /** Claims the key for this change, or answers as the first request with it was answered. */
  private async admit(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !keyPattern.test(key)) {
      throw new BadInput(
        'IdempotencyKeyRequired',
        'Changes need an Idempotency-Key header (8-128 letters, digits, - or _), new for each intended change.',
      );
    }
    // An API token's keys are its own, not those of an earlier token that had its name.
    const id = `${request.identity?.tokenId ?? request.identity?.user ?? request.ip} ${key}`;
    let body: string;
    try {
      body = JSON.stringify(request.body ?? null);
    } catch {
      // A body nested deeper than the stack (found by the fuzz test) is refused, not a 500.
      throw new BadInput('BodyUnreadable', 'The request body is nested too deeply to read.');
    }
    const fingerprint = createHash('sha256').update(`${request.method} ${request.url} ${body}`).digest('hex');
    // A store that does not answer throws: the error handler answers 503 StoreUnavailable.
    const claimed = await this.claim(id, fingerprint);
    if (claimed) {
      request.idempotencyId = id;
      return;
    }
    const seen = await this.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!seen) throw changeInProgress();
    if (seen.fingerprint !== fingerprint)
      throw new Unprocessable(
        'IdempotencyKeyReused',
        'This Idempotency-Key was used for a different change.',
      );
    if (seen.status === null) throw changeInProgress();
    return reply
      .code(seen.status)
      .header('content-type', seen.content_type ?? 'application/json; charset=utf-8')
      .header('idempotent-replay', 'true')
      .send(seen.payload ?? '');
  }

  /** Keeps the answer with the key (a 5xx frees the key for a retry); never fails the response. */
  private async remember(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<void> {
    const id = request.idempotencyId!;
    request.idempotencyId = undefined;
    try {
      if (reply.statusCode >= 500) {
        // A failure may be retried with the same key.
        await this.db
          .deleteFrom('idempotency_keys')
          .where('id', '=', id)
          .where('status', 'is', null)
          .execute();
      } else {
        let status = reply.statusCode;
        let answer = typeof payload === 'string' ? payload : String(payload ?? '');
        // An answer that holds a secret shown once (an API token) is not kept in the store: a
        // replay is told the change was made and what it made, without the secret.
        if (request.routeOptions.config.answerHoldsSecret && status < 300) {
          status = 409;
          answer = JSON.stringify({ error: secretAnswerReplay(answer) });
        }
        await this.db
          .updateTable('idempotency_keys')
          .set({
            status,
            payload: answer,
            content_type: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
          })
          .where('id', '=', id)
          .execute();
      }
    } catch (error) {
      request.log.warn({ err: error }, 'idempotency answer not stored');
    }
  }

  /** Inserts the key, or takes over one expired or abandoned; false when someone else holds it. */
  private async claim(id: string, fingerprint: string): Promise<boolean> {
    const now = this.now();
    const inserted = await this.db
      .insertInto('idempotency_keys')
      .values({
        id,
        fingerprint,
        created_at: new Date(now),
        expires_at: new Date(now + ttlMs),
      })
      .onConflict((c) =>
        c
          .column('id')
          .doUpdateSet({
            fingerprint,
            status: null,
            payload: null,
            content_type: null,
            created_at: new Date(now),
            expires_at: new Date(now + ttlMs),
          })
          .where((eb) =>
            eb.or([
              eb('idempotency_keys.expires_at', '<=', new Date(now)),
              eb.and([
                eb('idempotency_keys.status', 'is', null),
                eb('idempotency_keys.created_at', '<=', new Date(now - abandonedAfterMs)),
              ]),
            ]),
          ),
      )
      .returning('id')
      .executeTakeFirst();
    if (inserted && Math.random() < 0.01) void this.sweep().catch(() => undefined);
    return inserted !== undefined;
  }

  /** Now and then, forgets keys past their 24 h. */
  private async sweep(): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('expires_at', '<=', new Date(this.now())).execute();
  }
}

function secretAnswerReplay(answer: string): { code: string; message: string } {
  let made = '';
  try {
    const id = (JSON.parse(answer) as { id?: unknown }).id;
    if (typeof id === 'string') made = ` (${id})`;
  } catch {
    // not JSON: say it without the id
  }
  return {
    code: 'SecretShownOnce',
    message: `This change was already made${made}; its answer held a secret that is shown only once. If it was lost, revoke what was made and make it again.`,
  };
}

const changeInProgress = () =>
  new Conflict('ChangeInProgress', 'The same change is still being carried out.');

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyId?: string;
  }
  interface FastifyContextConfig {
    /** The route's answer holds a secret shown once: its Idempotency-Key keeps no copy of it. */
    answerHoldsSecret?: boolean;
  }
}
