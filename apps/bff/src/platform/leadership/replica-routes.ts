import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ReplicaInfo } from '@flightdeck/contracts';
import type { Leadership } from './leader-election.js';

/** Per replica, so kept out of the published overview (whose body and ETag every replica shares). */
export const replicaRoutes: FastifyPluginAsyncTypebox<{ leadership: Leadership }> = async (
  app,
  { leadership },
) => {
  app.access.declare({ 'GET /api/v1/replica': 'viewer' });
  app.get(
    '/api/v1/replica',
    {
      schema: {
        summary: 'Which replica answered and which one leads the collectors',
        tags: ['health'],
        response: { 200: ReplicaInfo },
      },
    },
    async (_request, reply) => {
      const leader = leadership.leader();
      void reply.header('cache-control', 'no-store');
      return {
        replicaId: leadership.replicaId,
        leaderId: leader.id,
        leading: leadership.leading,
        epoch: leader.epoch,
        leaderSince: leader.since,
        store: app.store.kind,
      };
    },
  );
};
