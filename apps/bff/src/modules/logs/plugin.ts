// Live log tails: one shared tail per function and filter, whoever watches it, within the
// account's FilterLogEvents budget; on replicas the leader reads CloudWatch and followers the store.
import { secretRedactor } from '@flightdeck/core';
import fp from 'fastify-plugin';
import { filterLogEventsReader, lambdaLogGroup } from '../../platform/upstreams/log-events-reader.js';
import { TooManyRequests } from '../../platform/errors/errors.js';
import { StreamsPerPerson } from '../../platform/sse/streams-per-person.js';
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
    // Tails are viewers' calls: they never take the share the Overview's latest errors keep.
    const reader = filterLogEventsReader(aws.logs, secretRedactor(config.redaction.secretKeys), 'viewer');
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
        maxTails: config.logs.maxTails,
        maxLagLines: config.logs.clientMaxLagLines,
        stallGraceMs: 2_000,
        initialLines: 200,
        chunkLines: 50,
        otherCallsPerSecond: (config.functions.length * 1000) / config.intervals.logsMs,
        firstPollWaitMs: 5_000,
        now: () => app.upstreams.now().getTime(),
      },
    );
    // A follower renews a tail's demand every poll while its viewers watch; a few polls without one
    // and the leader's tail is let go like one whose last viewer left.
    app.replication.serveDemands(
      'tail',
      tailDemands(logTails, Math.max(5_000, 5 * config.intervals.logTailMs)),
    );
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
    const tailsPerPerson = new StreamsPerPerson(
      config.logs.maxTailsPerPerson,
      (limit) =>
        new TooManyRequests(
          'TooManyTails',
          `At most ${limit} live tails per person at once (logs.maxTailsPerPerson): close one to open another.`,
        ),
    );
    await app.register(logRoutes, { tails: logTails, tailsPerPerson });
  },
  { name: 'flightdeck-logs', dependencies: ['flightdeck-platform'] },
);
