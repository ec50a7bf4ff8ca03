import fp from 'fastify-plugin';
import { storeAnswers } from '../store/store-plugin.js';

/** Something /readyz waits for; returns what is still missing, or null when ready. */
export type ReadinessCheck = () => string | null;

declare module 'fastify' {
  interface FastifyInstance {
    /** Modules add what must be true before this replica is ready (e.g. every source has answered). */
    readiness: { require(check: ReadinessCheck): void };
  }
}

/** /healthz (process up) and /readyz (store answers, and every module's readiness check passes). */
export const healthRoutes = fp(
  async (app) => {
    const checks: ReadinessCheck[] = [];
    app.decorate('readiness', { require: (check: ReadinessCheck) => void checks.push(check) });
    app.access.declare({ 'GET /healthz': 'public', 'GET /readyz': 'public' });

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
        const waiting = checks.map((check) => check()).filter((problem) => problem !== null);
        if (waiting.length > 0) {
          return reply.code(503).send({ error: { code: 'NotReady', message: waiting.join('; ') }, store });
        }
        return { status: 'ready', store };
      },
    );
  },
  { name: 'flightdeck-health', dependencies: ['flightdeck-store', 'flightdeck-auth'] },
);
