import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  DatabaseLocks,
  ErrorResponse,
  DeployLocks,
  Identifier,
  type MigrationLockMeasurement,
  type LockView,
} from '@flightdeck/contracts';
import { timeoutGuidance } from '@flightdeck/core';
import type { Collector } from '../../platform/sources/collector.js';

/** How long a request right after start-up may wait for the first poll. */
const firstAnswerWaitMs = 3_000;

/** The latest lock view the leader polled; the collector does the polling, viewers add none. */
export const lockRoutes: FastifyPluginAsyncTypebox<{
  environment: string;
  locks: Collector<LockView>;
  measured(deployId: string): Promise<MigrationLockMeasurement | null>;
}> = async (app, { environment, locks, measured }) => {
  app.get(
    '/api/v1/database/locks',
    {
      schema: {
        summary:
          'Who holds and who waits for locks on the target database: blockers of the release’s tables, the migration’s session, the sessions behind it',
        tags: ['locks'],
        response: { 200: DatabaseLocks, 503: ErrorResponse },
      },
    },
    async () => {
      await locks.firstSettled(firstAnswerWaitMs);
      const state = locks.state;
      return {
        environment,
        serverTime: new Date().toISOString(),
        locks: state,
        guidance: timeoutGuidance(state.data?.migration?.timeouts ?? null),
      };
    },
  );
  app.get(
    '/api/v1/deploys/:id/locks',
    {
      schema: {
        summary:
          'What the deploy’s migration held, per table, measured by the lock poll (null until its migration was seen and is over)',
        tags: ['locks'],
        params: Type.Object({ id: Identifier }, { additionalProperties: false }),
        response: { 200: DeployLocks },
      },
    },
    async (request) => ({ deployId: request.params.id, measurement: await measured(request.params.id) }),
  );
};
