import { redactSecrets } from '@flightdeck/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import { isStoreUnavailable } from '../store/store-error.js';
import { FlightdeckError, NotFound, errorBody } from './errors.js';

/** The answer when the store does not answer: nothing was done (a change's row comes first). */
function storeUnavailableBody(error: unknown) {
  return {
    error: {
      code: 'StoreUnavailable',
      message: `Flightdeck's store is not answering (${(error as Error).message}); nothing was changed. Try again in a moment.`,
    },
  };
}

/**
 * The one mapping of errors to answers: Flightdeck's named errors, the store going away, and the
 * framework's own (validation, CSRF, bodies), all as `{error: {code, message}}`. Anything else is
 * a bug: 500, logged, with no detail for the caller.
 */
export function answerErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof FlightdeckError) return reply.code(error.statusCode).send(errorBody(error));
    if (isStoreUnavailable(error)) return reply.code(503).send(storeUnavailableBody(error));
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply
        .code(status)
        .send({ error: { code: 'InternalError', message: 'Flightdeck failed to answer; see its log.' } });
    }
    if (error.code?.startsWith('FST_CSRF')) {
      return reply.code(403).send({
        error: {
          code: 'CsrfTokenInvalid',
          message: 'Missing or invalid CSRF token (x-csrf-token); reload the page and try again.',
        },
      });
    }
    const code = error.validation ? 'ValidationError' : (error.code ?? 'BadRequest');
    return reply.code(status).send({ error: { code, message: redactSecrets(error.message) } });
  });
}

/** A route nobody registered: the SPA's page for a browser's client-side route, else a 404 body. */
export function answerUnknownRoutes(app: FastifyInstance, servesSpa: boolean): void {
  app.setNotFoundHandler((request, reply) => {
    const url = request.url;
    if (servesSpa && request.method === 'GET' && !url.startsWith('/api/') && !url.startsWith('/_')) {
      // Client-side routes (/migrations, /logs …) are the SPA's.
      return reply.type('text/html').sendFile('index.html');
    }
    throw new NotFound('NotFound', `No route ${request.method} ${url}`);
  });
}
