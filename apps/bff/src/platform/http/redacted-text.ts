// Free text a person writes (a sign-off comment, a revoke reason) is shown on pages, in reports and
// in the audit export. Secrets pasted into it are hidden before it is stored, so every view shows
// the same redacted text and none has to remember to redact.
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** The secret redactor of log lines and Flightdeck's own logs, with the configured secret fields. */
    redactSecrets: (text: string) => string;
    /**
     * A preHandler that redacts these top-level string fields of the (validated) body before the
     * handler stores them: `app.addHook('preHandler', app.redactBody('comment', 'reason'))`.
     */
    redactBody: (...fields: string[]) => preHandlerHookHandler;
  }
}

export function decorateRedaction(app: FastifyInstance, redact: (text: string) => string): void {
  app.decorate('redactSecrets', redact);
  app.decorate('redactBody', (...fields: string[]): preHandlerHookHandler => {
    return (request, _reply, done) => {
      const body = request.body;
      if (body && typeof body === 'object') {
        const record = body as Record<string, unknown>;
        for (const field of fields) {
          const value = record[field];
          if (typeof value === 'string') record[field] = redact(value);
        }
      }
      done();
    };
  });
}
