// The Overview: the five sources every panel reads (Alembic, RDS, metrics, latest errors, aliases),
// polled by the leader, published once per change and streamed to every browser over SSE.
import fp from 'fastify-plugin';
import { secretRedactor } from '@flightdeck/core';
import type { FlightdeckConfig } from '../../config.js';
import { TooManyRequests } from '../../platform/errors/errors.js';
import { StreamsPerPerson } from '../../platform/sse/streams-per-person.js';
import { filterLogEventsReader } from '../../platform/upstreams/log-events-reader.js';
import type { Upstreams } from '../../platform/upstreams/upstreams.js';
import { eventRoutes } from './events-routes.js';
import { overviewRoutes } from './overview-routes.js';
import { PublishedOverview } from './published-overview.js';
import { SourceHub } from './source-hub.js';
import { AlembicSource } from './sources/alembic-source.js';
import { LambdaAliasSource } from './sources/lambda-source.js';
import { LogErrorsSource } from './sources/log-errors-source.js';
import { LambdaMetricsSource } from './sources/metrics-source.js';
import { RdsSource } from './sources/rds-source.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Overview's collectors: other modules read their states (deploys, rollbacks, markers). */
    sources: SourceHub;
    /** The overview as viewers get it: serialized, compressed and streamed once per change. */
    published: PublishedOverview;
  }
}

export function createSourceHub(config: FlightdeckConfig, upstreams: Upstreams): SourceHub {
  const { aws, database, now } = upstreams;
  const functions = config.functions;
  const versionsDir = config.alembic.versionsDir!;
  return new SourceHub(
    {
      alembic: new AlembicSource(database, versionsDir),
      rds: new RdsSource(aws.rds, config.rds.dbInstanceIdentifier),
      metrics: new LambdaMetricsSource(aws.cloudwatch, functions, config.metrics.windowMinutes, now),
      logs: new LogErrorsSource(
        filterLogEventsReader(aws.logs, secretRedactor(config.redaction.secretKeys)),
        functions.map((f) => f.name),
        config.logs.errorPattern,
        config.logs.windowMinutes,
        now,
      ),
      lambda: new LambdaAliasSource(aws.lambda, functions),
    },
    {
      alembic: config.intervals.alembicMs,
      rds: config.intervals.rdsMs,
      metrics: config.intervals.metricsMs,
      logs: config.intervals.logsMs,
      lambda: config.intervals.lambdaMs,
    },
  );
}

export const overviewModule = fp(
  async (app) => {
    const hub = createSourceHub(app.config, app.upstreams);
    for (const collector of Object.values(hub.collectors)) {
      // A follower never calls the upstream, even when a page asks for a refresh: it waits for the leader.
      collector.fetchOnlyWhen(() => app.leadership.leading);
      app.replication.share(collector);
    }
    const published = new PublishedOverview(hub, app.config.environment, () => app.upstreams.now());
    app.decorate('sources', hub);
    app.decorate('published', published);
    app.leadership.duty({
      name: 'the overview collectors',
      start: () => hub.start(),
      stop: () => hub.stop(),
    });
    app.readiness.require(() => {
      const states = hub.snapshot();
      const waiting = hub.names().filter((n) => states[n].fetchedAt === null && states[n].error === null);
      return waiting.length > 0 ? `Waiting for first answer from: ${waiting.join(', ')}` : null;
    });
    app.addHook('onClose', async () => {
      published.close();
      await hub.stop();
    });
    app.access.declare({ 'GET /api/v1/overview': 'viewer', 'GET /api/v1/events': 'viewer' });
    await app.register(overviewRoutes, { sources: hub, published });
    const streamsPerPerson = new StreamsPerPerson(
      app.config.overview.maxStreamsPerPerson,
      (limit) =>
        new TooManyRequests(
          'TooManyStreams',
          `At most ${limit} live event streams per person at once (overview.maxStreamsPerPerson): close a tab to open another.`,
        ),
    );
    await app.register(eventRoutes, { published, streamsPerPerson });
  },
  { name: 'flightdeck-overview', dependencies: ['flightdeck-platform'] },
);
