import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isStoreUnavailable, isTextRefusedByStore } from '../store/store-error.js';
import { StoppingError } from '../upstreams/shutdown-signal.js';
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

interface Answer {
  status: number;
  code: string;
  message: string;
}

/**
 * What the framework's own refusals say instead of Fastify's messages, several of which repeat the
 * input (the URL, the content type, a piece of the body): fixed words, nothing of the request.
 */
const frameworkAnswers: Record<string, Answer> = {
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'BadUrl',
    message: 'The address is not a valid URL (a malformed %-escape?).',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'UrlTooLong',
    message: 'A part of the address is longer than any id (140 characters).',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UnsupportedMediaType',
    message: 'Send the body as JSON (content-type: application/json).',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'BodyTooLarge',
    message: 'The body is larger than 64 KiB.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'EmptyBody',
    message: 'The body is empty but said to be JSON; send {} for a change without parameters.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'InvalidJson', message: 'The body is not valid JSON.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'BadContentLength',
    message: 'The body’s size does not match its Content-Length.',
  },
  FST_STATIC_FORBIDDEN_PATH: {
    status: 403,
    code: 'ForbiddenPath',
    message: 'Nothing is served at that path.',
  },
};

const invalidJson: Answer = frameworkAnswers.FST_ERR_CTP_INVALID_JSON_BODY!;

/** A refusal Fastify or a plugin raised (not one of ours): its answer, in our words. */
function frameworkAnswer(error: FastifyError, status: number): Answer {
  const known = error.code ? frameworkAnswers[error.code] : undefined;
  if (known) return known;
  // The JSON parser's own errors (SyntaxError, prototype poisoning) quote the body.
  if (error instanceof SyntaxError || /JSON|prototype/i.test(error.message))
    return { ...invalidJson, status };
  // Anything else a plugin refused (the static files' send errors, …): the status says it.
  const words = STATUS_CODES[status] ?? 'Bad Request';
  return { status, code: words.replace(/[^A-Za-z]/g, ''), message: `${words}.` };
}

/**
 * The one mapping of errors to answers: Flightdeck's named errors, the store going away, and the
 * framework's own (validation, CSRF, bodies, URLs), all as `{error: {code, message}}`. Anything
 * else is a bug: 500, logged, with no detail for the caller.
 */
export function answerErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof FlightdeckError) return reply.code(error.statusCode).send(errorBody(error));
    if (isStoreUnavailable(error)) return reply.code(503).send(storeUnavailableBody(error));
    if (error instanceof StoppingError) {
      return reply.code(503).send({
        error: { code: 'Stopping', message: 'Flightdeck is restarting; try again in a moment.' },
      });
    }
    // Text PostgreSQL cannot hold (NUL, broken UTF-8) that got past validation: the caller's, not a bug.
    if (isTextRefusedByStore(error)) {
      return reply.code(400).send({
        error: {
          code: 'InvalidText',
          message: 'The request holds text Flightdeck cannot store (a NUL character or broken Unicode).',
        },
      });
    }
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
    // Validation messages name the field and the rule, never the value sent.
    if (error.validation) {
      return reply.code(status).send({ error: { code: 'ValidationError', message: error.message } });
    }
    const answer = frameworkAnswer(error, status);
    return reply.code(answer.status).send({ error: { code: answer.code, message: answer.message } });
  });
}

/**
 * Errors Fastify meets before a route is chosen (a URL that does not decode, a parameter longer than
 * the router takes): answered here, by the same mapping, instead of Fastify's own body.
 */
export function answerFrameworkErrors(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 400;
  const answer = frameworkAnswer(error, status >= 500 ? 400 : status);
  void reply.code(answer.status).send({ error: { code: answer.code, message: answer.message } });
}

/**
 * Requests Node's HTTP parser refuses (headers over the size limit, a malformed request line, a
 * client too slow to send its headers) never reach Fastify: the same `{error}` body on the socket.
 */
export function answerClientErrors(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'HeadersTooLarge',
          'The request’s headers (cookies included) are larger than Flightdeck accepts.',
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'RequestTimeout', 'The request took too long to arrive.']
        : [400, 'MalformedRequest', 'The request is not well-formed HTTP.'];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** A route nobody registered: the SPA's page for a browser's client-side route, else a 404 body. */
export function answerUnknownRoutes(app: FastifyInstance, servesSpa: boolean): void {
  app.setNotFoundHandler((request, reply) => {
    const url = request.url;
    if (servesSpa && request.method === 'GET' && !url.startsWith('/api/') && !url.startsWith('/_')) {
      // Client-side routes (/migrations, /logs …) are the SPA's.
      return reply.type('text/html').sendFile('index.html');
    }
    // The address is not repeated back: the caller has it, and an echo is a reflection to abuse.
    throw new NotFound(
      'NotFound',
      `Nothing answers ${request.method} at this address; the API is described at /api/docs.`,
    );
  });
}
