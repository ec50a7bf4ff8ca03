// Every change leaves an audit row, and no change takes effect without it (README.md).
//  - A change path writes its row itself, inside the store transaction that makes the change:
//    `request.audit.within(trx, {summary, target})`. The row and the change commit together or not
//    at all; when the row cannot be written the change is rolled back and answered 503.
//  - Every other mutating route gets a row from its route hook after the answer: refusals (the
//    refusal digest keeps those to two a minute per person and route) and changes whose path did
//    not write its own. So a new route cannot forget.
// The hooks are attached to the mutating routes only (onRoute): reads run none of this.
import { redactSecrets } from '@flightdeck/core';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  onResponseHookHandler,
  onSendHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { isMutation } from '../auth/access-rules.js';
import { Unavailable } from '../errors/errors.js';
import { storableCopy } from '../http/text-check.js';
import type { FoundationTables } from '../store/foundation-tables.js';
import type { AuditLog, AuditRecord } from './audit-log.js';
import { routeDoing, routeWords, targetOf } from './change-words.js';
import { RefusalDigest } from './refusal-digest.js';
import { insertAuditRow, StoreAuditLog, type AuditClock } from './store-audit-log.js';

/** What a change path says it did, for its audit row. */
export interface ChangeWords {
  /** In words, naming the person, what changed and where: "lee signed off “…” on deploy production-…". */
  summary: string;
  /** What was changed: "deploy production-… item frontend-commit", a function's name, a job's id. */
  target: string | null;
  /** The change's own time (a sign-off's), so the row shows the same; now on the shown clock otherwise. */
  at?: string;
  /** The id of what was made, as the answer names it: the result reads "201 id …" like the hook's rows. */
  made?: string;
  /** The status the answer will have, when not the route's first 2xx (a rollback started: 202). */
  status?: number;
}

/** A request's audit, for the change path that handles it. */
export interface ChangeAudit {
  /**
   * Writes the change's audit row through `trx`, the change's own store transaction: call it
   * inside the transaction, after the change's writes. If the row cannot be written this throws
   * (503 AuditUnavailable), and the transaction, change included, is rolled back.
   */
  within<DB>(trx: Kysely<DB>, words: ChangeWords): Promise<void>;
}

/** The request's parameters as stored: the body, secrets redacted, text kept storable. */
function parametersOf(request: FastifyRequest): unknown {
  try {
    // Text the request was refused for (a NUL, a lone surrogate) is kept as U+FFFD: the
    // refusal still has its row.
    return JSON.parse(redactSecrets(JSON.stringify(storableCopy(request.body ?? null))));
  } catch {
    return null;
  }
}

const appendHook = <T>(existing: T | T[] | undefined, hook: T): T[] =>
  existing === undefined ? [hook] : [...(Array.isArray(existing) ? existing : [existing]), hook];

export const auditTrailPlugin = fp(
  async (app: FastifyInstance) => {
    // The clock people see: the sandbox's scenario time, or the wall clock (upstreams are
    // decorated after this plugin, so read lazily).
    const clock: AuditClock = {
      shown: () => (app.hasDecorator('upstreams') ? app.upstreams.now() : new Date()),
    };
    const audit: AuditLog = new StoreAuditLog(app.store.db, clock);
    app.decorate('auditLog', audit);
    // A refused change's row: the first of its minute in full, the rest as one summary row.
    const refusals = new RefusalDigest(
      (summary) =>
        audit
          .record(summary)
          .catch((error: unknown) => app.log.error({ err: error }, 'audit summary not written')),
      60_000,
      () => clock.shown().getTime(),
    );
    app.addHook('onClose', async () => refusals.closeAll());

    const rowOf = (
      request: FastifyRequest,
      route: string,
      rest: Pick<AuditRecord, 'summary' | 'target' | 'result' | 'at'>,
    ): AuditRecord => ({
      actor: request.identity?.user ?? 'unknown',
      role: request.role,
      action: `${request.method} ${route}`,
      parameters: parametersOf(request),
      correlationId: String(request.id),
      ...rest,
    });

    /** Each changing route's success status (its schema's first 2xx), for the rows its changes write. */
    const successStatus = new Map<string, number>();

    app.decorateRequest('auditWritten', false);
    app.decorateRequest('auditOutcome', undefined);
    app.decorateRequest('audit', {
      getter(this: FastifyRequest): ChangeAudit {
        const request = this;
        return {
          async within(trx, words) {
            const route = request.routeOptions.url ?? request.url;
            // Written before the answer: the status it will have (the route's success), and what it made.
            const status = words.status ?? successStatus.get(`${request.method} ${route}`) ?? 200;
            try {
              await insertAuditRow(
                trx as unknown as Kysely<FoundationTables>,
                rowOf(request, route, {
                  summary: words.summary,
                  target: storableCopy(words.target) as string | null,
                  result: `${status}${words.made ? ` id ${words.made}` : ''}`,
                  ...(words.at ? { at: words.at } : {}),
                }),
                clock,
              );
            } catch (error) {
              request.log.error({ err: error }, 'audit row not written: the change is rolled back');
              throw new Unavailable(
                'AuditUnavailable',
                'The audit row of this change could not be written, so the change was not made: nothing changed. Try again; if it persists, Flightdeck’s store needs attention.',
              );
            }
            request.auditWritten = true;
          },
        };
      },
    });

    // What the answer said, in a few words: the error code, or the id of what was made.
    const noteOutcome: onSendHookHandler = (request, _reply, payload, done) => {
      if (typeof payload === 'string' && isMutation(request.method)) {
        try {
          const body = JSON.parse(payload) as { error?: { code?: string }; id?: string };
          request.auditOutcome =
            body.error?.code ?? (typeof body.id === 'string' ? `id ${body.id}` : undefined);
        } catch {
          // not JSON: the status says enough
        }
      }
      done(null, payload);
    };

    const rowAfterAnswer = (route: string, doing: string) =>
      function auditRow(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
        // Refused before it was anyone's (no identity, CSRF): not a change by a person.
        if (!isMutation(request.method) || !request.identity) return done();
        const status = reply.statusCode;
        // The change wrote its own row with it, in its transaction.
        if (request.auditWritten && status < 400) return done();
        const code = request.auditOutcome;
        const result = `${status}${code ? ` ${code}` : ''}`;
        const action = `${request.method} ${route}`;
        if (
          status >= 400 &&
          status < 500 &&
          !refusals.admit({
            actor: request.identity.user,
            role: request.role,
            action,
            result,
            correlationId: String(request.id),
          })
        )
          return done();
        const target = storableCopy(targetOf(route, request.params, request.body)) as string | null;
        void audit
          .record(
            rowOf(request, route, {
              summary: routeWords({ user: request.identity.user, doing, target, status, code }),
              target,
              result,
            }),
          )
          .catch((error: unknown) => request.log.error({ err: error }, 'audit row not written'))
          .then(() => done());
      };

    // Per route, decided once when it is registered: reads get no audit hook at all.
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!methods.some(isMutation)) return;
      const doing = routeDoing(route.schema?.summary, `${methods.join('|')} ${route.url}`);
      const success = Object.keys((route.schema?.response as object | undefined) ?? {})
        .filter((code) => /^2\d\d$/.test(code))
        .map(Number)
        .sort((a, b) => a - b)[0];
      if (success !== undefined)
        for (const method of methods) successStatus.set(`${method} ${route.url}`, success);
      route.onSend = appendHook<onSendHookHandler>(route.onSend as onSendHookHandler, noteOutcome);
      route.onResponse = appendHook<onResponseHookHandler>(
        route.onResponse as onResponseHookHandler,
        rowAfterAnswer(route.url, doing),
      );
    });
  },
  { name: 'flightdeck-audit-trail', dependencies: ['flightdeck-store', 'flightdeck-auth'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    auditLog: AuditLog;
  }
  interface FastifyRequest {
    auditOutcome?: string;
    /** True once the change wrote its audit row in its own transaction. */
    auditWritten: boolean;
    /** This change's audit row, written by the change path inside its transaction. */
    audit: ChangeAudit;
  }
}
