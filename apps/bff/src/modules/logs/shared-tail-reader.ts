import {
  firstServeWaitMs,
  sleep,
  waitStepMs,
  type DemandHandler,
  type LiveSharing,
} from '../../platform/replication/demand-server.js';
import type { ReadLogEvents } from '../../platform/upstreams/log-events-reader.js';
import type { LogTails } from './log-tails.js';

export const tailKey = (logGroup: string, filterPattern: string) => `${logGroup}\n${filterPattern}`;

/** Tails read CloudWatch on the leader (storing the lines), the store on a follower. */
export function sharedTailReader(
  upstream: ReadLogEvents,
  sharing: LiveSharing,
  maxLines: number,
): ReadLogEvents {
  return async (query, signal) => {
    const key = tailKey(query.logGroupName, query.filterPattern);
    if (sharing.leadership.leading) {
      const page = await upstream(query, signal);
      await sharing.demands.storeLines(key, page.events);
      await sharing.demands.served('tail', key);
      return page;
    }
    let { servedAt } = await sharing.demands.want('tail', key, {
      logGroup: query.logGroupName,
      filterPattern: query.filterPattern,
    });
    // A tail new to the leader: wait for its first poll, so the backfill isn't read before it exists.
    for (let waited = 0; !servedAt && waited < firstServeWaitMs; waited += waitStepMs) {
      await sleep(waitStepMs);
      ({ servedAt } = await sharing.demands.want('tail', key, {
        logGroup: query.logGroupName,
        filterPattern: query.filterPattern,
      }));
    }
    return { events: await sharing.demands.readLines(key, query.startTime, query.endTime, maxLines) };
  };
}

/** How long one serving of a demand keeps the leader's tail polling: past the next serving (every second). */
const demandHoldMs = 3_000;

/**
 * On the leader: a follower's tail kept polling here while the follower's viewers want it (each
 * serving holds it a few seconds), then paused and ended like one whose last viewer left.
 */
export function tailDemands(tails: LogTails, freshMs: number): DemandHandler {
  const preparing = new Set<string>();
  return {
    freshMs: () => freshMs,
    serve(demand) {
      const params = demand.params as { logGroup: string; filterPattern: string };
      if (preparing.has(demand.key)) return;
      const group = tails.status().groups.find((g) => g.logGroup === params.logGroup);
      const fn = group && tails.find(group.functionName);
      if (!fn) return;
      preparing.add(demand.key);
      void tails
        .prepare(fn, params.filterPattern)
        .then((prepared) => {
          if (prepared.ok) prepared.hold(demandHoldMs);
        })
        .catch(() => undefined)
        .finally(() => preparing.delete(demand.key));
    },
  };
}
