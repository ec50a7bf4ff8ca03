import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  applyOverviewEvent,
  type DatabaseLocks,
  type Overview,
  type OverviewEvent,
  type SourceStateOf,
  type LockView,
} from '@flightdeck/contracts';
import { lockKeys } from './locks';
import { lastOverviewChangeId, overviewKeys } from './overview';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

const overviewEvents = ['snapshot', 'source', 'log-lines', 'metrics-points', 'fresh'] as const;

/**
 * The one SSE subscription: it starts after the overview already fetched (or with a snapshot),
 * and each change — a source's state, appended log lines, the metrics window's new minute, a
 * freshness tick — is applied to the query cache, so every panel re-renders from the same data
 * without polling. On reconnect the browser sends Last-Event-ID and gets only what it missed.
 */
export function useLiveUpdates(): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  useEffect(() => {
    const since = lastOverviewChangeId();
    const source = new EventSource(`/api/v1/events${since ? `?since=${encodeURIComponent(since)}` : ''}`);
    source.onopen = () => setStatus('live');
    source.onerror = () => setStatus('reconnecting');
    for (const name of overviewEvents) {
      source.addEventListener(name, (message) => {
        const event = {
          event: name,
          data: JSON.parse((message as MessageEvent<string>).data),
        } as OverviewEvent;
        queryClient.setQueryData<Overview>(overviewKeys.current, (previous) =>
          previous || event.event === 'snapshot' ? applyOverviewEvent(previous!, event) : previous,
        );
      });
    }
    // The lock view, live while a deploy is ready or migrating: into the locks query's cache.
    source.addEventListener('locks', (message) => {
      const locks = JSON.parse((message as MessageEvent<string>).data) as SourceStateOf<LockView>;
      const updatedAt = queryClient.getQueryState(lockKeys.current)?.dataUpdatedAt ?? Date.now();
      queryClient.setQueryData<DatabaseLocks>(lockKeys.current, (previous) =>
        previous
          ? {
              ...previous,
              locks,
              // The server's clock moved on as ours did: ages keep using the skew measured at fetch.
              serverTime: new Date(Date.parse(previous.serverTime) + Date.now() - updatedAt).toISOString(),
            }
          : previous,
      );
    });
    return () => source.close();
  }, [queryClient]);
  return status;
}
