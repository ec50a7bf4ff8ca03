import type { DeployMarker, MetricsWindowId } from '@flightdeck/contracts';
import { secretRedactor, windowRefreshMs } from '@flightdeck/core';
import fp from 'fastify-plugin';
import type { FlightdeckConfig } from '../../config.js';
import type { AwsClients } from '../../platform/upstreams/aws-clients.js';
import { filterLogEventsReader } from '../../platform/upstreams/log-events-reader.js';
import { lambdaLogGroup } from '../overview/sources/log-errors-source.js';
import { MetricsWindowSource } from './metrics-window-source.js';
import { CallBudget, spendBudgetOn } from '../../platform/upstreams/call-budget.js';
import type { Source } from '../../platform/sources/collector.js';
import {
  ObservedDeployMarkers,
  TimelineDeployMarkers,
  type DeployMarkerFeed,
  type MarkerLog,
} from './deploy-markers.js';
import { LogTails } from '../logs/log-tails.js';
import { MetricWindows } from './metric-windows.js';
import {
  DemandServer,
  sharedTailReader,
  sharedWindowSource,
  type LiveSharing,
} from '../../platform/replication/shared-live-data.js';
import type { SourceHub } from '../overview/source-hub.js';

/** Metric windows, log tails and deploy markers: what viewers open on demand, shared by all of them. */
export interface LiveData {
  metricWindows: MetricWindows;
  logTails: LogTails;
  deployMarkers: DeployMarkerFeed;
  /** FilterLogEvents budget for the account and region. */
  logsBudget: CallBudget;
  compareMinutes: number;
  /** With replicas: serves followers' windows and tails while this replica leads. */
  demandServer: DemandServer | null;
  start(): void;
  stop(): Promise<void>;
}

/** Pages a tail reads per poll before leaving the rest for the next one. */
const maxPagesPerPoll = 5;

export function createLiveData(
  config: FlightdeckConfig,
  aws: AwsClients,
  hub: SourceHub,
  timeline?: { source: Source<DeployMarker[]>; intervalMs: number },
  /** The upstream's clock: chart windows end at its "now" (scenario time in the sandbox). */
  upstreamNow: () => Date = () => new Date(),
  markerLog: MarkerLog | null = null,
  /** Replicas on a PostgreSQL store: only the leader calls CloudWatch for windows and tails. */
  sharing?: LiveSharing,
): LiveData {
  const functions = config.functions.map((f) => ({ name: f.name, label: f.label ?? f.name, alias: f.alias }));
  const logsBudget = new CallBudget(config.logs.callsPerSecond);
  // Every FilterLogEvents through this client spends the budget: tails and the Overview alike.
  spendBudgetOn(aws.logs, logsBudget, ['FilterLogEvents']);

  const intervalFor = (window: MetricsWindowId) => windowRefreshMs(window, config.intervals.metricsMs);
  const metricWindows = new MetricWindows(
    (window: MetricsWindowId) => {
      const upstream = new MetricsWindowSource(
        aws.cloudwatch,
        functions,
        config.metrics.measures,
        window,
        config.metrics.scope,
        upstreamNow,
      );
      return sharing ? sharedWindowSource(window, upstream, intervalFor(window), sharing) : upstream;
    },
    intervalFor,
    config.metrics.windowIdleSeconds * 1000,
  );
  const tailReader = filterLogEventsReader(aws.logs, secretRedactor(config.redaction.secretKeys));
  const logTails = new LogTails(
    sharing ? sharedTailReader(tailReader, sharing, config.logs.tailBufferLines) : tailReader,
    logsBudget,
    functions.map((f) => ({ name: f.name, label: f.label, logGroup: lambdaLogGroup(f.name) })),
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
      otherCallsPerSecond: (functions.length * 1000) / config.intervals.logsMs,
      firstPollWaitMs: 5_000,
    },
  );
  // The sandbox keeps a deploy timeline; against AWS, Flightdeck records what its own polls see.
  const deployMarkers: DeployMarkerFeed = timeline
    ? new TimelineDeployMarkers(timeline.source, timeline.intervalMs)
    : new ObservedDeployMarkers(hub, undefined, markerLog);

  const demandServer = sharing
    ? new DemandServer(
        sharing,
        metricWindows,
        logTails,
        1_000,
        // A follower renews a demand on every poll of it: a window's own interval, a tail's second.
        (demand) =>
          demand.kind === 'metrics'
            ? 2 * intervalFor(demand.key as MetricsWindowId) + config.metrics.windowIdleSeconds * 1000
            : config.logs.tailIdleSeconds * 1000 + 10_000,
        24 * 60 * 60_000,
      )
    : null;

  return {
    metricWindows,
    logTails,
    deployMarkers,
    logsBudget,
    demandServer,
    compareMinutes: config.metrics.compareMinutes,
    start() {
      deployMarkers.start();
    },
    async stop() {
      const stopping = Promise.all([metricWindows.stop(), logTails.stop(), deployMarkers.stop()]);
      // Tails already told to stop; a poll still queued for a token gives up instead of waiting its turn.
      logsBudget.close();
      await stopping;
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveData;
  }
}

/** Starts deploy-marker collection when the server is ready; stops every window and tail on close. */
export const liveDataPlugin = fp<{ live: LiveData; autoStart: boolean }>(
  async (app, { live, autoStart }) => {
    app.decorate('live', live);
    if (autoStart) app.addHook('onReady', async () => live.start());
    app.addHook('onClose', async () => live.stop());
  },
  { name: 'flightdeck-live-data' },
);
