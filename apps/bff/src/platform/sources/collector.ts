import type { SourceError, SourceStateOf } from '@flightdeck/contracts';
import { redactSecrets } from '@flightdeck/core';

/** An upstream read: one adapter per upstream, built from config and injected. */
export interface Source<T> {
  fetch(): Promise<T>;
  /**
   * On a replica that doesn't poll: the state another replica polled, taken as is (its fetch time
   * included, so ages stay true); null means fetch.
   */
  published?(): Promise<SourceStateOf<T> | null>;
}

export type StateListener<T> = (state: SourceStateOf<T>) => void;

/** Turns any thrown value into what a panel shows: the upstream's error name and message. */
export function describeError(error: unknown, at: Date): SourceError {
  const e = error as { name?: string; code?: string; message?: string };
  const code = e?.name && e.name !== 'Error' ? e.name : (e?.code ?? 'Error');
  // Driver errors can quote connection strings; panels show them to every viewer.
  return { code, message: redactSecrets(e?.message || String(error)), at: at.toISOString() };
}

const firstRetryMs = 2_000;

/**
 * Polls one source on its own interval and keeps the latest result with the time it was taken.
 * Concurrent refreshes share one in-flight call, so upstream calls depend on the interval,
 * never on how many viewers ask. A failure keeps the last good data beside the error.
 */
export class Collector<T> {
  private current: SourceStateOf<T>;
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** Failed refreshes in a row; a failing source is retried sooner than its interval. */
  private failuresInARow = 0;
  private readonly listeners = new Set<StateListener<T>>();
  /** False on a follower replica: it adopts what the leader polled and never calls the upstream. */
  private mayFetch: () => boolean = () => true;
  /** The interval of the next poll when it depends on what is going on (a lock poll speeds up while migrating). */
  private interval: () => number = () => this.intervalMs;

  constructor(
    readonly name: string,
    private readonly source: Source<T>,
    readonly intervalMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.current = { data: null, fetchedAt: null, error: null, intervalMs };
  }

  get state(): SourceStateOf<T> {
    return this.current;
  }

  get hasSettled(): boolean {
    return this.current.fetchedAt !== null || this.current.error !== null;
  }

  /** Refresh now, joining a refresh already under way instead of starting another. */
  refresh(): Promise<void> {
    if (!this.mayFetch()) return this.nextChange();
    this.inFlight ??= this.runFetch().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Resolves once the first refresh has ended (or after `timeoutMs`), for a first page that isn't empty. */
  async firstSettled(timeoutMs: number): Promise<void> {
    if (this.hasSettled) return;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      this.refresh(),
      new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timeout);
  }

  /** Polls at the interval `intervalMs()` says at each poll, instead of the fixed one. */
  pace(intervalMs: () => number): void {
    this.interval = intervalMs;
  }

  /** On a follower, refreshes wait for the leader's next state instead of calling the upstream. */
  fetchOnlyWhen(mayFetch: () => boolean): void {
    this.mayFetch = mayFetch;
  }

  /** Takes a state another replica polled, telling listeners exactly as a fetch of this one would. */
  adopt(state: SourceStateOf<T>): void {
    this.current = { ...state, intervalMs: this.intervalMs };
    for (const listener of this.listeners) listener(this.current);
  }

  /** The next change, or an interval's wait: a caller never hangs on a replica no one feeds. */
  private nextChange(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.interval());
      const off = this.onChange(done);
      function done(): void {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  }

  onChange(listener: StateListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const tick = (): void => {
      if (!this.running) return;
      void this.refresh().finally(() => {
        if (this.running) this.timer = setTimeout(tick, this.nextDelayMs());
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight?.catch(() => undefined);
  }

  /**
   * The interval, except after a failure: a slow window (the 7-day chart polls every 15 minutes)
   * must not show a timeout for 15 minutes. Retries back off from 2 s and never poll faster than
   * the interval would.
   */
  private nextDelayMs(): number {
    const interval = this.interval();
    if (this.failuresInARow === 0) return interval;
    return Math.min(interval, firstRetryMs * 2 ** (this.failuresInARow - 1));
  }

  private async runFetch(): Promise<void> {
    try {
      const published = await this.source.published?.();
      if (published) {
        this.current = { ...published, intervalMs: this.interval() };
      } else {
        const data = await this.source.fetch();
        this.current = {
          data,
          fetchedAt: this.now().toISOString(),
          error: null,
          intervalMs: this.interval(),
        };
      }
      this.failuresInARow = 0;
    } catch (error) {
      this.current = {
        ...this.current,
        error: describeError(error, this.now()),
        intervalMs: this.interval(),
      };
      this.failuresInARow++;
    }
    for (const listener of this.listeners) listener(this.current);
  }
}
