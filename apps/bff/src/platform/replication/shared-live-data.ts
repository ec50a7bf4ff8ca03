// Metrics windows and log tails across replicas: viewers open them on any replica; only the
// leader calls CloudWatch, and followers read what it stored. The switch is made per call, so a
// follower promoted to leader carries its open windows and tails over without a gap.
import type { MetricsWindowData, MetricsWindowId, SourceStateOf } from '@flightdeck/contracts';
import type { Leadership } from '../leadership/leader-election.js';
import type { Demand, LiveDemands } from './live-demands.js';
import type { PublishedStates } from './published-states.js';
import type { Source } from '../sources/collector.js';
import type { ReadLogEvents } from '../../modules/logs/log-tail.js';
import type { LogTails } from '../../modules/logs/log-tails.js';
import type { MetricWindows } from '../../modules/metrics/metric-windows.js';

export interface LiveSharing {
  leadership: Leadership;
  states: PublishedStates;
  demands: LiveDemands;
  log: { warn(message: string): void };
}

const windowStateName = (window: MetricsWindowId) => `metrics:${window}`;
export const tailKey = (logGroup: string, filterPattern: string) => `${logGroup}\n${filterPattern}`;

/** How long a follower's first read waits for the leader to serve a demand it has just seen. */
const firstServeWaitMs = 4_000;
const waitStepMs = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

/** Tails read CloudWatch on the leader (storing the lines), the store on a follower. */
export function sharedTailReader(
  upstream: ReadLogEvents,
  sharing: LiveSharing,
  maxLines: number,
): ReadLogEvents {
  return async (query) => {
    const key = tailKey(query.logGroupName, query.filterPattern);
    if (sharing.leadership.leading) {
      const page = await upstream(query);
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

/**
 * On the leader: keeps a window collector or a shared tail alive for every demand a follower renewed
 * lately, as if a viewer here had asked. Idle ones end by the usual idle rules once nobody renews.
 */
export class DemandServer {
  private timer: NodeJS.Timeout | null = null;
  private readonly preparing = new Set<string>();
  private ticks = 0;

  constructor(
    private readonly sharing: LiveSharing,
    private readonly windows: MetricWindows,
    private readonly tails: LogTails,
    private readonly everyMs: number,
    /** A demand not renewed for this long is no longer served (a follower renews on each of its polls). */
    private readonly freshMs: (demand: Demand) => number,
    /** The longest any demand stays fresh: older ones are not even read. */
    private readonly maxFreshMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.serve(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async serve(): Promise<void> {
    try {
      if (++this.ticks % 60 === 0) await this.sharing.demands.prune(Math.max(this.maxFreshMs, 10 * 60_000));
      const now = Date.now();
      for (const demand of await this.sharing.demands.fresh(this.maxFreshMs)) {
        if (demand.lastWantedAt.getTime() < now - this.freshMs(demand)) continue;
        if (demand.kind === 'metrics')
          void this.windows.read(demand.key as MetricsWindowId).catch(() => undefined);
        else void this.keepTail(demand.key, demand.params as { logGroup: string; filterPattern: string });
      }
    } catch (error) {
      this.sharing.log.warn(`serving other replicas' demands failed: ${(error as Error).message}`);
    }
  }

  private async keepTail(key: string, params: { logGroup: string; filterPattern: string }): Promise<void> {
    if (this.preparing.has(key)) return;
    const group = this.tails.status().groups.find((g) => g.logGroup === params.logGroup);
    const fn = group && this.tails.find(group.functionName);
    if (!fn) return;
    this.preparing.add(key);
    try {
      // Joining and leaving at once restarts the tail's idle timer, as a viewer's visit would.
      const prepared = await this.tails.prepare(fn, params.filterPattern);
      if (prepared.ok) prepared.cancel();
    } finally {
      this.preparing.delete(key);
    }
  }
}
