import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { TokenBucket } from '@flightdeck/core';

/**
 * Who a call is for. `collector`: the leader's own polling (the Overview's latest errors), served
 * first and free to use the whole rate. `viewer`: calls viewers cause (live tails), limited to the
 * part of the rate the collectors' reserved share leaves, so no number of viewers starves a panel.
 */
export type BudgetLane = 'collector' | 'viewer';

export interface BudgetTicket {
  lane?: BudgetLane;
  /** Aborting gives up the call's place in the queue (its tail lost its last viewer). */
  signal?: AbortSignal;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
}

/**
 * Calls per second to one AWS API, shared by everyone who calls it in an account and region
 * (CloudWatch Logs allows FilterLogEvents 5 to 25 times a second, depending on the region).
 * Callers queue in order for a token, so many tails share the rate instead of being throttled;
 * collectors queue ahead of viewers, and viewers never take the collectors' reserved share.
 */
export class CallBudget {
  private readonly bucket: TokenBucket;
  /** What viewers may spend: the rate minus the reserved share. */
  private readonly viewerBucket: TokenBucket;
  /** The collectors' reserved share, theirs first whatever viewers queue. */
  private readonly reservedBucket: TokenBucket;
  private readonly queues: Record<BudgetLane, Waiter[]> = { collector: [], viewer: [] };
  private timer: NodeJS.Timeout | null = null;
  private granted: Record<BudgetLane, number> = { collector: 0, viewer: 0 };
  private closed = false;

  constructor(
    readonly callsPerSecond: number,
    now: () => number = () => performance.now(),
    /** The part of the rate (0 to 0.9) viewers' calls can never take. */
    readonly reservedShare = 0,
  ) {
    // A burst of one spreads calls evenly: no second ever sees more than the rate.
    this.bucket = new TokenBucket(callsPerSecond, 1, now);
    // Bursts of two: a share left unused for a moment, while the other side held the token, is not lost.
    this.viewerBucket = new TokenBucket(callsPerSecond * (1 - reservedShare), 2, now);
    // A burst of two: the Overview asks for every function's lines at once.
    this.reservedBucket = new TokenBucket(Math.max(callsPerSecond * reservedShare, 1e-6), 2, now);
  }

  /** Calls per second viewers may spend at most. */
  get viewerCallsPerSecond(): number {
    return this.viewerBucket.ratePerSecond;
  }

  /** Calls currently queued for a token. */
  get waiting(): number {
    return this.queues.collector.length + this.queues.viewer.length;
  }

  /** Tokens handed out since start. */
  get calls(): number {
    return this.granted.collector + this.granted.viewer;
  }

  /** Tokens handed out since start, per lane. */
  callsOf(lane: BudgetLane): number {
    return this.granted[lane];
  }

  /** Resolves when the call may go; rejects if the ticket's signal aborts first. */
  take(ticket: BudgetTicket = {}): Promise<void> {
    const { lane = 'collector', signal } = ticket;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.closed) return Promise.reject(new Error('call budget closed'));
    return new Promise<void>((resolve, reject) => {
      const queue = this.queues[lane];
      const onAbort = () => {
        const i = queue.indexOf(waiter);
        if (i >= 0) queue.splice(i, 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      // Granted now when a token is there for it; else queued for the next one.
      while (this.grantNext());
      // A collector waiting behind the viewers' slower refill goes at the next token, not theirs.
      if (lane === 'collector' && this.timer && this.queues.collector.length > 0) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      this.schedule();
    });
  }

  /** Fails every queued call, and every call after (shutdown: a retry must not start again). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const queue of Object.values(this.queues))
      for (const waiter of queue.splice(0)) waiter.reject(new Error('call budget closed'));
  }

  /**
   * Who goes next when the rate has a token: a collector within its reserved share, then a viewer
   * within the viewers' share, then, only while no viewer waits, a collector beyond its share.
   * So collectors always get their share, and viewers theirs, however much the other side wants.
   */
  private grantNext(): boolean {
    if (this.bucket.available < 1) return false;
    const { collector, viewer } = this.queues;
    if (collector.length > 0 && this.reservedBucket.available >= 1) {
      this.reservedBucket.tryTake();
      return this.grant('collector');
    }
    if (viewer.length > 0 && this.viewerBucket.available >= 1) {
      this.viewerBucket.tryTake();
      return this.grant('viewer');
    }
    if (collector.length > 0 && viewer.length === 0) return this.grant('collector');
    return false;
  }

  private grant(lane: BudgetLane): boolean {
    this.bucket.tryTake();
    this.granted[lane]++;
    this.queues[lane].shift()!.resolve();
    return true;
  }

  private schedule(): void {
    if (this.timer || this.waiting === 0) return;
    const { collector, viewer } = this.queues;
    const main = this.bucket.msUntilToken();
    const wait =
      viewer.length === 0
        ? main
        : Math.max(
            main,
            collector.length > 0
              ? Math.min(this.reservedBucket.msUntilToken(), this.viewerBucket.msUntilToken())
              : this.viewerBucket.msUntilToken(),
          );
    this.timer = setTimeout(() => {
      this.timer = null;
      while (this.grantNext());
      this.schedule();
    }, wait);
  }
}

type StackMiddleware = Parameters<CloudWatchLogsClient['middlewareStack']['addRelativeTo']>[0];

/** Tickets by command input: the middleware sees the input, not the caller. */
const tickets = new WeakMap<object, BudgetTicket>();

/**
 * Marks a command's input with its lane and abort signal, for the budget middleware to read:
 * `client.send(new FilterLogEventsCommand(withBudgetTicket(input, { lane: 'viewer', signal })))`.
 */
export function withBudgetTicket<T extends object>(input: T, ticket: BudgetTicket): T {
  tickets.set(input, ticket);
  return input;
}

/**
 * Makes every call of `operations` through an SDK client wait for the budget, retries included
 * (the check sits after the retry step), whoever makes it: tails and the Overview's error lines alike.
 * A call without a ticket is a collector's.
 */
export function spendBudgetOn(client: CloudWatchLogsClient, budget: CallBudget, operations: string[]): void {
  const commands = new Set(operations.map((op) => `${op}Command`));
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: unknown) => {
      if (context.commandName && commands.has(context.commandName)) {
        const input = (args as { input?: object }).input;
        await budget.take((input && tickets.get(input)) ?? {});
      }
      return next(args);
    };
  client.middlewareStack.addRelativeTo(middleware as unknown as StackMiddleware, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'flightdeckCallBudget',
  });
}
