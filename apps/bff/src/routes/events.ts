import type { FastifyPluginAsync } from 'fastify';
import type { SourceChangedEvent } from '@flightdeck/contracts';
import { openEventStream } from './event-stream.js';

/**
 * One SSE stream per browser: every source's state on connect, then each change.
 * Viewers only listen; polling is the collectors' job, so viewers add no AWS calls.
 */
export const eventRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/api/v1/events',
    { schema: { summary: 'Live source changes (SSE)', tags: ['overview'] } },
    (request, reply) => {
      const stream = openEventStream(request, reply);
      const sendState = (source: SourceChangedEvent['source'], state: SourceChangedEvent['state']) =>
        stream.send('source', {
          source,
          state,
          serverTime: new Date().toISOString(),
        } satisfies SourceChangedEvent);
      const snapshot = app.sources.snapshot();
      for (const name of app.sources.names()) sendState(name, snapshot[name]);
      const unsubscribe = app.sources.subscribe(sendState);
      stream.onClose(unsubscribe);
    },
  );
};
