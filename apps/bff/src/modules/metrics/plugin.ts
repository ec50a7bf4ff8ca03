// Metrics windows (15 minutes to 7 days) shared by every viewer, and the deploy markers on their
// charts: observed by Flightdeck's own polls against AWS, or the sandbox scenario's timeline.
import type { MetricsWindowId } from '@flightdeck/contracts';
import { windowRefreshMs } from '@flightdeck/core';
import fp from 'fastify-plugin';
import {
  ObservedDeployMarkers,
  TimelineDeployMarkers,
  type DeployMarkerFeed,
  type MarkerSource,
} from './deploy-markers.js';
import { MetricWindows } from './metric-windows.js';
import { metricsRoutes } from './metrics-routes.js';
import { MetricsWindowSource } from './metrics-window-source.js';
import { SandboxTimelineSource } from './sandbox-timeline-source.js';
import { sharedWindowSource } from './shared-window-source.js';
import { leaderWrites, StoreMarkerLog } from './store-marker-log.js';

declare module 'fastify' {
  interface FastifyInstance {
    metricWindows: MetricWindows;
    deployMarkers: DeployMarkerFeed;
    /** More markers for the charts from other modules (the deploys' record), read per request. */
    markerSources: { add(source: MarkerSource): void };
  }
}

export const metricsModule = fp(
  async (app) => {
    const config = app.config;
    const { aws, now } = app.upstreams;
    const sharing = app.replication.sharing;
    const intervalFor = (window: MetricsWindowId) => windowRefreshMs(window, config.intervals.metricsMs);
    const metricWindows = new MetricWindows(
      (window: MetricsWindowId) => {
        const upstream = new MetricsWindowSource(
          aws.cloudwatch,
          config.functions,
          config.metrics.measures,
          window,
          config.metrics.scope,
          now,
        );
        return sharing ? sharedWindowSource(window, upstream, intervalFor(window), sharing) : upstream;
      },
      intervalFor,
      config.metrics.windowIdleSeconds * 1000,
    );
    app.replication.serveDemands('metrics', {
      serve: (demand) => void metricWindows.read(demand.key as MetricsWindowId).catch(() => undefined),
      // A follower renews a demand on every poll of it: a window's own interval.
      freshMs: (demand) =>
        2 * intervalFor(demand.key as MetricsWindowId) + config.metrics.windowIdleSeconds * 1000,
    });

    // The sandbox keeps a deploy timeline, polled by the leader; against AWS, every replica derives
    // markers from the sources it has, and only the leader writes them down.
    const timeline = config.mode === 'sandbox' && config.aws.endpoint;
    const deployMarkers: DeployMarkerFeed = timeline
      ? new TimelineDeployMarkers(
          new SandboxTimelineSource(`${config.aws.endpoint}/_sandbox/timeline`),
          config.intervals.lambdaMs,
        )
      : new ObservedDeployMarkers(
          app.sources,
          undefined,
          leaderWrites(new StoreMarkerLog(app.store.db), () => app.leadership.leading),
        );
    if (timeline)
      app.leadership.duty({
        name: 'the deploy timeline',
        start: () => deployMarkers.start(),
        stop: () => deployMarkers.stop(),
      });
    else app.addHook('onReady', async () => deployMarkers.start());

    app.decorate('metricWindows', metricWindows);
    app.decorate('deployMarkers', deployMarkers);
    const markerSources: MarkerSource[] = [];
    app.decorate('markerSources', { add: (source: MarkerSource) => void markerSources.push(source) });
    app.addHook('onClose', async () => {
      await Promise.all([metricWindows.stop(), deployMarkers.stop()]);
    });
    app.access.declare({ 'GET /api/v1/metrics': 'viewer' });
    await app.register(metricsRoutes, {
      windows: metricWindows,
      markers: deployMarkers,
      more: markerSources,
      pollMs: config.intervals.lambdaMs,
      compareMinutes: config.metrics.compareMinutes,
    });
  },
  { name: 'flightdeck-metrics', dependencies: ['flightdeck-platform', 'flightdeck-overview'] },
);
