// Live log tails: one shared tail per function and filter, whoever watches it, within the
// account's FilterLogEvents budget; on replicas the leader reads CloudWatch and followers the store.
import { secretRedactor } from '@flightdeck/core';
import fp from 'fastify-plugin';
import { filterLogEventsReader, lambdaLogGroup } from '../../platform/upstreams/log-events-reader.js';
import { LogTails } from './log-tails.js';
import { logRoutes } from './logs-routes.js';
import { sharedTailReader, tailDemands } from './shared-tail-reader.js';

declare module 'fastify' {
  interface FastifyInstance {
    logTails: LogTails;
  }
}

/** Pages a tail reads per poll before leaving the rest for the next one. */
const maxPagesPerPoll = 5;

export const logsModule = fp(
  async (app) => {
    const config = app.config;
    const { aws, logsBudget } = app.upstreams;
    const sharing = app.replication.sharing;
    const reader = filterLogEventsReader(aws.logs, secretRedactor(config.redaction.secretKeys));
    const logTails = new LogTails(
      sharing ? sharedTailReader(reader, sharing, config.logs.tailBufferLines) : reader,
      logsBudget,
      config.functions.map((f) => ({ name: f.name, label: f.label, logGroup: lambdaLogGroup(f.name) })),
      {
        bufferLines: config.logs.tailBufferLines,
        pollIntervalMs: config.intervals.logTailMs,
        backfillMs: config.logs.tailBackfillMinutes * 60_000,
        overlapMs: config.logs.tailOverlapSeconds * 1000,
        maxPagesPerPoll,
        idleMs: config.logs.tailIdleSeconds * 1000,
        maxLagLines: config.logs.clientMaxLagLines,
        stallGraceMs: 2_000,
        initialLines: 200,
        chunkLines: 50,
        otherCallsPerSecond: (config.functions.length * 1000) / config.intervals.logsMs,
        firstPollWaitMs: 5_000,
      },
    );
    // A follower renews a tail's demand every second it polls.
    app.replication.serveDemands('tail', tailDemands(logTails, config.logs.tailIdleSeconds * 1000 + 10_000));
    app.decorate('logTails', logTails);
    app.addHook('onClose', async () => {
      const stopping = logTails.stop();
      // Tails already told to stop; a poll still queued for a token gives up instead of waiting its turn.
      logsBudget.close();
      await stopping;
    });
    app.access.declare({
      'GET /api/v1/logs': 'viewer',
      'GET /api/v1/logs/:functionName/tail': 'viewer',
    });
    await app.register(logRoutes, { tails: logTails });
  },
  { name: 'flightdeck-logs', dependencies: ['flightdeck-platform'] },
);
