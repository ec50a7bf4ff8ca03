import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, Overview } from '@flightdeck/contracts';

/** How long a request right after start-up may wait for sources that have never answered. */
const firstAnswerWaitMs = 3_000;

export const overviewRoutes: FastifyPluginAsyncTypebox<{ environment: string }> = async (
  app,
  { environment },
) => {
  app.get(
    '/api/v1/overview',
    {
      schema: {
        summary: 'Latest state of every source, each with the time it was fetched and its error',
        tags: ['overview'],
        response: { 200: Overview, 503: ErrorResponse },
      },
    },
    async () => {
      await app.sources.firstSettled(firstAnswerWaitMs);
      return { environment, serverTime: new Date().toISOString(), sources: app.sources.snapshot() };
    },
  );
};
