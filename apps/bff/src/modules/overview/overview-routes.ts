import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, Overview } from '@flightdeck/contracts';
import type { FastifyReply } from 'fastify';
import type { OverviewBody, PublishedOverview } from './published-overview.js';
import type { SourceHub } from './source-hub.js';

/** How long a request right after start-up may wait for sources that have never answered. */
const firstAnswerWaitMs = 3_000;

type Encoding = 'br' | 'gzip' | null;

/** Accept-Encoding values seen → the choice: browsers send a handful of distinct strings. */
const encodings = new Map<string, Encoding>();

/** brotli, then gzip, then none: each compressed once per change, whoever asks. */
function encodingFor(acceptEncoding: string | undefined): Encoding {
  const header = acceptEncoding ?? '';
  let encoding = encodings.get(header);
  if (encoding === undefined) {
    encoding = parseEncoding(header);
    if (encodings.size >= 100) encodings.clear();
    encodings.set(header, encoding);
  }
  return encoding;
}

function parseEncoding(acceptEncoding: string): Encoding {
  const accepted = acceptEncoding
    .split(',')
    .map((part) => part.trim().split(';'))
    .filter(([, q]) => !q || Number(q.trim().replace(/^q=/, '')) > 0)
    .map(([name]) => name!.trim().toLowerCase());
  if (accepted.includes('br')) return 'br';
  if (accepted.includes('gzip')) return 'gzip';
  return null;
}

function matches(ifNoneMatch: string | undefined, body: OverviewBody): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === body.etag);
}

/** The published overview: built once per change, never per request; a conditional request costs a 304. */
export const overviewRoutes: FastifyPluginAsyncTypebox<{
  sources: SourceHub;
  published: PublishedOverview;
}> = async (app, { sources, published }) => {
  // Once every source has answered it stays so: later requests skip the check.
  let allSettled = false;
  app.get(
    '/api/v1/overview',
    {
      schema: {
        summary: 'Latest state of every source, each with the time it was fetched and its error',
        description:
          'Answers with an ETag (If-None-Match → 304), brotli or gzip by Accept-Encoding, and the ' +
          'x-flightdeck-change-id /api/v1/events resumes from (?since=).',
        tags: ['overview'],
        response: { 200: Overview, 503: ErrorResponse },
      },
    },
    async (request, typedReply) => {
      // The body is bytes already serialized (and compressed) from the published overview.
      const reply = typedReply as unknown as FastifyReply;
      if (!allSettled) {
        allSettled = sources.names().every((n) => sources.collectors[n].hasSettled);
        if (!allSettled) await sources.firstSettled(firstAnswerWaitMs);
      }
      const body = published.current();
      reply
        .header('etag', body.etag)
        .header('cache-control', 'no-cache')
        .header('vary', 'accept-encoding')
        .header('x-flightdeck-change-id', body.changeId);
      if (matches(request.headers['if-none-match'], body)) return reply.code(304).send();
      reply.type('application/json; charset=utf-8');
      const encoding = encodingFor(request.headers['accept-encoding']);
      if (encoding === 'br') return reply.header('content-encoding', 'br').send(body.brotli());
      if (encoding === 'gzip') return reply.header('content-encoding', 'gzip').send(body.gzip());
      return reply.send(body.json);
    },
  );
};
