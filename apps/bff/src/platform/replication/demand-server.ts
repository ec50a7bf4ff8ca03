// Metrics windows and log tails across replicas: viewers open them on any replica; only the
// leader calls CloudWatch, and followers read what it stored. Each module says how to serve its
// kind of demand (modules/metrics/shared-window-source.ts, modules/logs/shared-tail-reader.ts).
import type { Leadership } from '../leadership/leader-election.js';
import type { Demand, DemandKind, LiveDemands } from './live-demands.js';
import type { PublishedStates } from './published-states.js';

/** What a module needs to share on-demand data: who leads, the published states, the demands. */
export interface LiveSharing {
  leadership: Leadership;
  states: PublishedStates;
  demands: LiveDemands;
  log: { warn(message: string): void };
}

/** How the leader serves one kind of demand a follower renewed. */
export interface DemandHandler {
  /** Keeps the thing alive here, as if a viewer of this replica had asked. */
  serve(demand: Demand): void;
  /** A demand not renewed for this long is no longer served (a follower renews on each of its polls). */
  freshMs(demand: Demand): number;
}

/** How long a follower's first read waits for the leader to serve a demand it has just seen. */
export const firstServeWaitMs = 4_000;
export const waitStepMs = 200;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * On the leader: keeps a window collector or a shared tail alive for every demand a follower renewed
 * lately, as if a viewer here had asked. Idle ones end by the usual idle rules once nobody renews.
 */
export class DemandServer {
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private readonly handlers = new Map<DemandKind, DemandHandler>();

  constructor(
    private readonly sharing: LiveSharing,
    private readonly everyMs: number,
    /** The longest any demand stays fresh: older ones are not even read. */
    private readonly maxFreshMs: number,
  ) {}

  handle(kind: DemandKind, handler: DemandHandler): void {
    this.handlers.set(kind, handler);
  }

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
        const handler = this.handlers.get(demand.kind);
        if (!handler || demand.lastWantedAt.getTime() < now - handler.freshMs(demand)) continue;
        handler.serve(demand);
      }
    } catch (error) {
      this.sharing.log.warn(`serving other replicas' demands failed: ${(error as Error).message}`);
    }
  }
}
