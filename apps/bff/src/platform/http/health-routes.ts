import type { FastifyPluginAsync } from 'fastify';
import { storeAnswers } from '../store/store-plugin.js';

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', { schema: { summary: 'Process is up', tags: ['health'] } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { schema: { summary: 'Collectors are running and the store answers', tags: ['health'] } },
    async (_request, reply) => {
      const storeProblem = await storeAnswers(app.store);
      const store = { kind: app.store.kind, where: app.store.where, ok: storeProblem === null };
      if (storeProblem) {
        return reply.code(503).send({
          error: {
            code: 'StoreUnavailable',
            message: `The store (${app.store.where}) is not answering: ${storeProblem}`,
          },
          store,
        });
      }
      const states = app.sources.snapshot();
      const waiting = app.sources
        .names()
        .filter((n) => states[n].fetchedAt === null && states[n].error === null);
      if (waiting.length > 0) {
        return reply.code(503).send({
          error: { code: 'NotReady', message: `Waiting for first answer from: ${waiting.join(', ')}` },
          store,
        });
      }
      return { status: 'ready', store };
    },
  );
};
