import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { TokenBucket } from '@flightdeck/core';

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
}

/**
 * Calls per second to one AWS API, shared by everyone who calls it in an account and region
 * (CloudWatch Logs allows FilterLogEvents 5 to 25 times a second, depending on the region).
 * Callers queue in order for a token, so many tails share the rate instead of being throttled.
 */
export class CallBudget {
  private readonly bucket: TokenBucket;
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  private granted = 0;
  private closed = false;

  constructor(
    readonly callsPerSecond: number,
    now: () => number = () => performance.now(),
  ) {
    // A burst of one spreads calls evenly: no second ever sees more than the rate.
    this.bucket = new TokenBucket(callsPerSecond, 1, now);
  }

  /** Calls currently queued for a token. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Tokens handed out since start. */
  get calls(): number {
    return this.granted;
  }

  /** Resolves when the call may go; rejects if `signal` aborts first, or once the budget is closed. */
  take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.closed) return Promise.reject(new Error('call budget closed'));
    if (this.waiters.length === 0 && this.bucket.tryTake()) {
      this.granted++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      this.waiters.push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal.reason);
        },
        { once: true },
      );
      this.schedule();
    });
  }

  /** Fails every queued call, and every call after (shutdown: a retry must not start again). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('call budget closed'));
  }

  private schedule(): void {
    if (this.timer || this.waiters.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      while (this.waiters.length > 0 && this.bucket.tryTake()) {
        this.granted++;
        this.waiters.shift()!.resolve();
      }
      this.schedule();
    }, this.bucket.msUntilToken());
  }
}

type StackMiddleware = Parameters<CloudWatchLogsClient['middlewareStack']['addRelativeTo']>[0];

/**
 * Makes every call of `operations` through an SDK client wait for the budget, retries included
 * (the check sits after the retry step), whoever makes it: tails and the Overview's error lines alike.
 */
export function spendBudgetOn(client: CloudWatchLogsClient, budget: CallBudget, operations: string[]): void {
  const commands = new Set(operations.map((op) => `${op}Command`));
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: unknown) => {
      if (context.commandName && commands.has(context.commandName)) await budget.take();
      return next(args);
    };
  client.middlewareStack.addRelativeTo(middleware as unknown as StackMiddleware, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'flightdeckCallBudget',
  });
}
