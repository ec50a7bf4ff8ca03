import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorResponse } from '@flightdeck/contracts';
import { openEventStream } from '../../platform/sse/event-stream.js';
import type { StreamsPerPerson } from '../../platform/sse/streams-per-person.js';
import type { PublishedOverview } from './published-overview.js';

const EventsQuery = Type.Object(
  {
    since: Type.Optional(
      Type.String({ description: 'The x-flightdeck-change-id of the overview the client already has' }),
    ),
  },
  { additionalProperties: false },
);

/**
 * One SSE stream per browser: what changed since the client's overview (its Last-Event-ID or
 * ?since=), or one snapshot; then each change, written as the frame published once for everyone.
 * Viewers only listen; polling is the collectors' job, so viewers add no AWS calls.
 */
export const eventRoutes: FastifyPluginAsyncTypebox<{
  published: PublishedOverview;
  streamsPerPerson: StreamsPerPerson;
}> = async (app, { published, streamsPerPerson }) => {
  app.get(
    '/api/v1/events',
    {
      schema: {
        summary: 'Live source changes (SSE): snapshot, source, log-lines, metrics-points and fresh events',
        tags: ['overview'],
        querystring: EventsQuery,
        response: { 429: ErrorResponse },
      },
    },
    (request, reply) => {
      // One per open tab is plenty; past the cap a person (or a script) is refused, not served.
      const release = streamsPerPerson.acquire(request.identity!.user);
      const lastEventId = request.headers['last-event-id'];
      const resumeFrom = (typeof lastEventId === 'string' ? lastEventId : undefined) ?? request.query.since;
      const stream = openEventStream(request, reply);
      stream.onClose(release);
      if (request.raw.destroyed || reply.raw.destroyed) stream.end();
      const missed = published.changesSince(resumeFrom);
      if (missed) for (const frame of missed) stream.sendFrame(frame);
      else stream.sendFrame(published.snapshotFrame());
      const unsubscribe = published.onFrame((frame) => stream.sendFrame(frame));
      stream.onClose(unsubscribe);
    },
  );
};
