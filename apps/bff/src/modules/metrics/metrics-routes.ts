import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ErrorResponse,
  MetricsQuery,
  MetricsWindowResponse,
  metricsWindowIds,
  type MarkerComparison,
} from '@flightdeck/contracts';
import { compareAroundMarker, downsampleMetricsWindow, metricsWindows } from '@flightdeck/core';
import { describeInvalidQuery } from '../../platform/http/query-problems.js';
import { BadInput } from '../../platform/errors/errors.js';
import { mergeMarkers, type DeployMarkerFeed, type MarkerSource } from './deploy-markers.js';
import type { MetricWindows } from './metric-windows.js';

/** A chart is a few hundred pixels wide: more points than this only cost bytes and rendering. */
const maxChartPoints = 1_000;

/** Chart data for one window, from the shared collector of that window; viewers add no CloudWatch calls. */
export const metricsRoutes: FastifyPluginAsyncTypebox<{
  windows: MetricWindows;
  markers: DeployMarkerFeed;
  /** Markers other modules keep (the deploys' record); a failing one leaves the others. */
  more?: MarkerSource[];
  compareMinutes: number;
  /** How often aliases are polled: an observed change is within this of the real one. */
  pollMs?: number;
}> = async (app, { windows, markers: markerFeed, more = [], compareMinutes, pollMs = 60_000 }) => {
  app.get(
    '/api/v1/metrics',
    {
      schema: {
        summary: 'Lambda metrics of every configured function over a window, with deploy markers',
        tags: ['metrics'],
        querystring: MetricsQuery,
        response: { 200: MetricsWindowResponse, 400: ErrorResponse },
      },
      attachValidation: true,
    },
    async (request) => {
      if (request.validationError) {
        throw new BadInput(
          'ValidationError',
          describeInvalidQuery(request.validationError.validation, request.query, {
            window: metricsWindowIds,
          }),
        );
      }
      const window = request.query.window ?? '1h';
      const metrics = await windows.read(window);
      const now = new Date();
      const from = metrics.data
        ? new Date(metrics.data.start)
        : new Date(now.getTime() - metricsWindows[window].seconds * 1000);
      // The record is kept in the upstream's time (scenario time in the sandbox), which may run ahead.
      const end = new Date(
        Math.max(now.getTime(), metrics.data ? Date.parse(metrics.data.end) : 0) + 3_600_000,
      );
      const recorded = await Promise.all(
        more.map((source) =>
          source(from, end).catch((error: unknown) => {
            request.log.warn({ err: error }, 'deploy record markers unavailable');
            return [];
          }),
        ),
      );
      const markers = mergeMarkers(markerFeed.between(from, now), recorded.flat(), pollMs);
      const data = metrics.data;
      const comparisons = data
        ? markers
            .map((m) => compareAroundMarker(data, m, compareMinutes))
            .filter((c): c is MarkerComparison => c !== null)
        : [];
      // Comparisons read every period; the chart gets the downsampled line.
      const chart = data ? { ...metrics, data: downsampleMetricsWindow(data, maxChartPoints) } : metrics;
      return { window, serverTime: now.toISOString(), metrics: chart, markers, comparisons };
    },
  );
};
