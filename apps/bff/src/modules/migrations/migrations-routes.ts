import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ErrorResponse,
  MigrationHistory,
  type AppliedRevision,
  type MigrationHistoryData,
} from '@flightdeck/contracts';
import type { Collector } from '../../platform/sources/collector.js';

/** How long a request right after start-up may wait for the first analysis. */
const firstAnswerWaitMs = 3_000;

/** Reads the Migration History collector's latest result; the collector does the polling. */
export const migrationRoutes: FastifyPluginAsyncTypebox<{
  environment: string;
  history: Collector<MigrationHistoryData>;
  /** Which deploy applied each revision (the deploys module's records). */
  appliedBy: () => Promise<AppliedRevision[]>;
}> = async (app, { environment, history, appliedBy }) => {
  app.get(
    '/api/v1/migrations',
    {
      schema: {
        summary:
          'Revision history, where the database stands, what each pending migration does, findings and schema drift',
        tags: ['migrations'],
        response: { 200: MigrationHistory, 503: ErrorResponse },
      },
    },
    async () => {
      await history.firstSettled(firstAnswerWaitMs);
      return {
        environment,
        serverTime: new Date().toISOString(),
        history: history.state,
        appliedBy: await appliedBy(),
      };
    },
  );
};
