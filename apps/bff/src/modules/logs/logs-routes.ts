import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, LogsOverview, TailParams, TailQuery } from '@flightdeck/contracts';
import { filterPatternProblem } from '@flightdeck/core';
import { openEventStream } from '../../platform/sse/event-stream.js';
import { describeInvalidQuery } from '../../platform/http/query-problems.js';
import { BadInput, NotFound } from '../../platform/errors/errors.js';
import type { StreamsPerPerson } from '../../platform/sse/streams-per-person.js';
import type { LogTails, PreparedTail } from './log-tails.js';

/**
 * Live log tails over SSE. Every viewer of the same (function, filter pattern) joins one shared
 * tail, so viewers add no FilterLogEvents calls; all tails share one call budget.
 */
export const logRoutes: FastifyPluginAsyncTypebox<{
  tails: LogTails;
  tailsPerPerson: StreamsPerPerson;
}> = async (app, { tails, tailsPerPerson }) => {
  app.get(
    '/api/v1/logs',
    {
      schema: {
        summary: 'Tailable log groups, the open tails and how they share the call budget',
        tags: ['logs'],
        response: { 200: LogsOverview },
      },
    },
    async () => tails.status(),
  );

  app.get(
    '/api/v1/logs/:functionName/tail',
    {
      schema: {
        summary:
          'Live tail of a function’s log group (SSE). Events: line (id <epoch>-<seq>), status, gap, dropped. Resumes after Last-Event-ID or ?lastEventId=',
        tags: ['logs'],
        params: TailParams,
        querystring: TailQuery,
        response: { 400: ErrorResponse, 404: ErrorResponse, 429: ErrorResponse },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      if (request.validationError) {
        throw new BadInput(
          'ValidationError',
          describeInvalidQuery(request.validationError.validation, request.query),
        );
      }
      const { functionName } = request.params;
      const fn = tails.find(functionName);
      if (!fn) {
        const known = tails.status().groups.map((g) => g.functionName);
        throw new NotFound(
          'UnknownFunction',
          `No configured function "${functionName}"; configured: ${known.join(', ')}`,
        );
      }
      const filter = request.query.filter ?? '';
      const problem = filterPatternProblem(filter);
      if (problem) throw new BadInput('InvalidFilterPattern', problem);

      // Counted before the (slow) first poll, so a burst of requests cannot all slip under the cap.
      const release = tailsPerPerson.acquire(request.identity!.user);
      let prepared: PreparedTail;
      try {
        prepared = await tails.prepare(fn, filter);
      } catch (error) {
        release();
        throw error;
      }
      if (!prepared.ok) {
        release();
        throw new BadInput(
          'InvalidFilterPattern',
          `CloudWatch Logs rejected filter pattern ${JSON.stringify(filter)}: ${prepared.error.message}`,
        );
      }
      if (request.raw.destroyed || reply.raw.destroyed) {
        release();
        prepared.cancel();
        return reply;
      }
      // The header is what EventSource sends on its own reconnects; the query serves manual ones.
      const header = request.headers['last-event-id'];
      const lastEventId = (Array.isArray(header) ? header[0] : header) || request.query.lastEventId;
      const stream = openEventStream(request, reply);
      stream.onClose(release);
      prepared.join(stream, lastEventId);
      return reply;
    },
  );
};
