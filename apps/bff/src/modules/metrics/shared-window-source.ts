import type { MetricsWindowData, MetricsWindowId, SourceStateOf } from '@flightdeck/contracts';
import {
  firstServeWaitMs,
  sleep,
  waitStepMs,
  type LiveSharing,
} from '../../platform/replication/demand-server.js';
import type { Source } from '../../platform/sources/collector.js';

const windowStateName = (window: MetricsWindowId) => `metrics:${window}`;

/** The leader fetches and publishes; a follower asks for the window and takes what was published. */
export function sharedWindowSource(
  window: MetricsWindowId,
  upstream: Source<MetricsWindowData>,
  intervalMs: number,
  sharing: LiveSharing,
): Source<MetricsWindowData> {
  return {
    async fetch() {
      const data = await upstream.fetch();
      const state: SourceStateOf<MetricsWindowData> = {
        data,
        fetchedAt: new Date().toISOString(),
        error: null,
        intervalMs,
      };
      await sharing.states
        .publish(windowStateName(window), state)
        .catch((error: unknown) =>
          sharing.log.warn(`publishing ${window} failed: ${(error as Error).message}`),
        );
      return data;
    },
    async published() {
      if (sharing.leadership.leading) return null;
      await sharing.demands.want('metrics', window, {});
      for (let waited = 0; ; waited += waitStepMs) {
        const row = await sharing.states.read(windowStateName(window));
        const state = row?.state as SourceStateOf<MetricsWindowData> | undefined;
        if (state?.data) return state;
        if (waited >= firstServeWaitMs)
          throw new Error('The leading replica has not published this window yet');
        await sleep(waitStepMs);
      }
    },
  };
}
