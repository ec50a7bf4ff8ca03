import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { MetricsWindowId, MetricsWindowResponse } from '@flightdeck/contracts';
import { getJson } from './client';

export const metricsKeys = {
  window: (window: MetricsWindowId) => ['metrics', window] as const,
};

/**
 * One chart window. The server answers from that window's shared collector, so asking as often as
 * it refreshes costs no AWS calls; the previous window stays on screen while another loads.
 */
export const metricsWindowQuery = (window: MetricsWindowId) =>
  queryOptions({
    queryKey: metricsKeys.window(window),
    queryFn: () => getJson<MetricsWindowResponse>(`/api/v1/metrics?window=${encodeURIComponent(window)}`),
    placeholderData: keepPreviousData,
    // Until the window's first answer arrives, ask again soon; then as often as it refreshes.
    refetchInterval: (query) => {
      const metrics = query.state.data?.metrics;
      return metrics?.fetchedAt ? Math.max(2_000, metrics.intervalMs) : 2_000;
    },
  });
