import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Overview, SourceChangedEvent } from '@flightdeck/contracts';
import { queryKeys } from './client';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

/**
 * The one SSE subscription: each source change is written into the query cache,
 * so every panel re-renders from the same data without polling.
 */
export function useLiveUpdates(): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  useEffect(() => {
    const source = new EventSource('/api/v1/events');
    source.onopen = () => setStatus('live');
    source.onerror = () => setStatus('reconnecting');
    source.addEventListener('source', (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as SourceChangedEvent;
      queryClient.setQueryData<Overview>(queryKeys.overview, (previous) =>
        previous
          ? {
              ...previous,
              serverTime: event.serverTime,
              sources: { ...previous.sources, [event.source]: event.state },
            }
          : previous,
      );
    });
    return () => source.close();
  }, [queryClient]);
  return status;
}
