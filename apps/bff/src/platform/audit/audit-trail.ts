// Every change leaves an audit row: one hook on every mutating route, so a new route
// cannot forget. Who (identity and role), what (method and route), parameters (the body),
// the result (status and error code) and the request id as correlation id.
import { redactSecrets } from '@flightdeck/core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isMutation } from '../auth/access-rules.js';
import { storableCopy } from '../http/text-check.js';
import type { AuditLog } from './audit-log.js';
import { RefusalDigest } from './refusal-digest.js';
import { StoreAuditLog } from './store-audit-log.js';

function targetOf(body: unknown): string | null {
  if (body && typeof body === 'object' && 'target' in body && typeof body.target === 'string')
    return body.target;
  return null;
}

export const auditTrailPlugin = fp(
  async (app: FastifyInstance) => {
    const audit: AuditLog = new StoreAuditLog(app.store.db);
    app.decorate('auditLog', audit);
    // A refused change's row: the first of its minute in full, the rest as one summary row.
    const refusals = new RefusalDigest((summary) =>
      audit
        .record(summary)
        .catch((error: unknown) => app.log.error({ err: error }, 'audit summary not written')),
    );
    app.addHook('onClose', async () => refusals.closeAll());
    // What the answer said, in a few words: the error code, or the id of what was made.
    // Callback hooks that return at once for reads: no promise per GET on the hot path.
    app.addHook('onSend', (request, reply, payload, done) => {
      if (!isMutation(request.method) || typeof payload !== 'string') return done(null, payload);
      try {
        const body = JSON.parse(payload) as { error?: { code?: string }; id?: string };
        request.auditOutcome =
          body.error?.code ?? (typeof body.id === 'string' ? `id ${body.id}` : undefined);
      } catch {
        // not JSON: the status says enough
      }
      done(null, payload);
    });
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url;
      // Refused before it was anyone's (no identity, CSRF): not a change by a person.
      if (!route || !isMutation(request.method) || !request.identity) return done();
      const code = request.auditOutcome;
      const result = `${reply.statusCode}${code ? ` ${code}` : ''}`;
      const action = `${request.method} ${route}`;
      const refused = reply.statusCode >= 400 && reply.statusCode < 500;
      if (
        refused &&
        !refusals.admit({
          actor: request.identity.user,
          role: request.role,
          action,
          result,
          correlationId: String(request.id),
        })
      )
        return done();
      let parameters: unknown = null;
      try {
        // Text the request was refused for (a NUL, a lone surrogate) is kept as U+FFFD: the
        // refusal still has its row.
        parameters = JSON.parse(redactSecrets(JSON.stringify(storableCopy(request.body ?? null))));
      } catch {
        parameters = null;
      }
      void audit
        .record({
          actor: request.identity.user,
          role: request.role,
          action,
          target: storableCopy(targetOf(request.body)) as string | null,
          parameters,
          result,
          correlationId: String(request.id),
        })
        .catch((error: unknown) => request.log.error({ err: error }, 'audit row not written'))
        .then(() => done());
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
  }
}
