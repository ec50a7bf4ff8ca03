import { queryOptions } from '@tanstack/react-query';
import type { MetricsWindowId, MetricsWindowResponse } from '@flightdeck/contracts';
import { getJson } from './client';

export const metricsKeys = {
  window: (window: MetricsWindowId) => ['metrics', window] as const,
};

/**
 * One chart window. The server answers from that window's shared collector, so asking as often as
 * it refreshes costs no AWS calls. Each window is its own query with no placeholder: while a newly
 * chosen window loads, the page says so instead of showing the previous window under the new title.
 */
export const metricsWindowQuery = (window: MetricsWindowId) =>
  queryOptions({
    queryKey: metricsKeys.window(window),
    queryFn: () => getJson<MetricsWindowResponse>(`/api/v1/metrics?window=${encodeURIComponent(window)}`),
    // Until the window's first answer arrives, ask again soon; then as often as it refreshes.
    refetchInterval: (query) => {
      const metrics = query.state.data?.metrics;
      return metrics?.fetchedAt ? Math.max(2_000, metrics.intervalMs) : 2_000;
    },
  });
