import type { FastifyPluginAsync } from 'fastify';

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', { schema: { summary: 'Process is up', tags: ['health'] } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { schema: { summary: 'Collectors are running', tags: ['health'] } },
    async (_request, reply) => {
      const states = app.sources.snapshot();
      const waiting = app.sources
        .names()
        .filter((n) => states[n].fetchedAt === null && states[n].error === null);
      if (waiting.length > 0) {
        return reply.code(503).send({
          error: { code: 'NotReady', message: `Waiting for first answer from: ${waiting.join(', ')}` },
        });
      }
      return { status: 'ready' };
    },
  );
};
