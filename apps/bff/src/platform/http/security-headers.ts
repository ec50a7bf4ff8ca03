import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's headers, worked out once at start-up. Its middleware only sets headers whose values
 * depend on nothing but its options, so they are read off a stub response here and copied onto
 * every reply. (@fastify/helmet built a new helmet middleware, parsing the whole Content-Security-
 * Policy again, on every request: about a tenth of the BFF's CPU under the overview's load.)
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const stub = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, stub as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return headers;
}

/**
 * Sets the same precomputed security headers on every reply (404s and errors included), among the
 * reply's own headers: Fastify writes them in one writeHead. (Set on the raw response, each one
 * went through Node's setHeader and made every reply's writeHead take its slow path.) A hijacked
 * reply (an event stream) writes them itself from `reply.getHeaders()`.
 */
export const securityHeaders = fp<HelmetOptions>(
  async (app, options) => {
    const headers = helmetHeaders(options);
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'flightdeck-security-headers' },
);
