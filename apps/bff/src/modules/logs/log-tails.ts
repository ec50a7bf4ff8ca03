import type { LogsBudgetStatus, LogsOverview, SourceError, TailStatus } from '@flightdeck/contracts';
import { TooManyRequests } from '../../platform/errors/errors.js';
import type { CallBudget } from '../../platform/upstreams/call-budget.js';
import { LogTail, type LogTailOptions, type ReadLogEvents } from './log-tail.js';
import { TailSubscription, type TailSink, type TailSubscriptionOptions } from './tail-subscription.js';

export interface LogTailsOptions extends LogTailOptions, TailSubscriptionOptions {
  /** A tail nobody watches is kept (paused, no calls) this long, so a reconnect resumes instead of restarting. */
  idleMs: number;
  /** Distinct tails at once, whoever opened them; a tail nobody watches gives way to a new one. */
  maxTails: number;
  /** FilterLogEvents calls per second spent outside tails (the Overview's error lines). */
  otherCallsPerSecond: number;
  /** How long a new viewer may wait for the first poll, to refuse a bad pattern with a 400. */
  firstPollWaitMs: number;
  /**
   * The clock a tail reads up to (epoch ms): the sandbox's scenario time there, so lines the
   * scenario writes ahead of the wall clock are read; the wall clock otherwise.
   */
  now?: () => number;
}

export interface TailedFunction {
  name: string;
  label: string;
  logGroup: string;
}

interface TailEntry {
  tail: LogTail;
  subscribers: Set<TailSubscription>;
  idleTimer: NodeJS.Timeout | null;
  /** Viewers between acquire and subscribe (waiting for the first poll). */
  joining: number;
  /** Kept polling until then without a viewer here: another replica's viewers want it. */
  heldUntil: number;
  holdTimer: NodeJS.Timeout | null;
  droppedClients: number;
  peakClientBufferedBytes: number;
  lastDigest: string;
  off: Array<() => void>;
}

export type PreparedTail =
  | {
      ok: true;
      tail: LogTail;
      join(sink: TailSink & { onClose(listener: () => void): void }, lastEventId?: string): TailSubscription;
      cancel(): void;
      /** Keeps the tail polling for `ms` as if watched (another replica's viewers), then lets it go. */
      hold(ms: number): void;
    }
  | { ok: false; error: SourceError };

/**
 * All live tails of one account and region: one shared tail per (log group, filter pattern), however
 * many viewers, all polling through one call budget.
 */
export class LogTails {
  private readonly entries = new Map<string, TailEntry>();

  constructor(
    private readonly read: ReadLogEvents,
    private readonly budget: CallBudget,
    private readonly functions: TailedFunction[],
    private readonly options: LogTailsOptions,
  ) {}

  find(functionName: string): TailedFunction | undefined {
    return this.functions.find((f) => f.name === functionName);
  }

  /**
   * Joins (or starts) the shared tail of this query and waits, bounded, for its first poll, so a
   * pattern CloudWatch rejects is refused before any stream opens. `join` then adds the viewer,
   * resuming after `lastEventId` when given; call exactly one of `join`, `cancel` or `hold`.
   * Throws TooManyRequests when `maxTails` distinct tails are watched already.
   */
  async prepare(fn: TailedFunction, filterPattern: string): Promise<PreparedTail> {
    const key = `${fn.logGroup}\n${filterPattern}`;
    const entry = this.acquire(key, fn, filterPattern);
    entry.joining++;
    await entry.tail.firstPolled(this.options.firstPollWaitMs);
    if (entry.tail.fatal) {
      entry.joining--;
      await this.remove(key);
      return { ok: false, error: entry.tail.fatal };
    }
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      entry.joining--;
      return true;
    };
    return {
      ok: true,
      tail: entry.tail,
      cancel: () => {
        if (settle()) this.release(key, entry);
      },
      hold: (ms) => {
        if (!settle()) return;
        entry.heldUntil = Math.max(entry.heldUntil, Date.now() + ms);
        if (entry.holdTimer) clearTimeout(entry.holdTimer);
        entry.holdTimer = setTimeout(() => {
          entry.holdTimer = null;
          this.release(key, entry);
        }, entry.heldUntil - Date.now());
        entry.holdTimer.unref();
      },
      join: (sink, lastEventId) => {
        if (!settle()) throw new Error('prepared tail already used');
        const subscription = new TailSubscription(entry.tail, sink, this.options, (bytes) => {
          if (bytes > entry.peakClientBufferedBytes) entry.peakClientBufferedBytes = bytes;
        });
        if (sink.closed) {
          this.release(key, entry);
          return subscription;
        }
        entry.subscribers.add(subscription);
        sink.onClose(() => {
          if (!entry.subscribers.delete(subscription)) return;
          if (subscription.dropped) entry.droppedClients++;
          this.release(key, entry);
          this.broadcastStatus();
        });
        subscription.sendStatus(this.statusOf(entry));
        subscription.start(lastEventId);
        this.broadcastStatus();
        return subscription;
      },
    };
  }

  budgetStatus(): LogsBudgetStatus {
    const active = [...this.entries.values()].filter((e) => !e.tail.fatal && !e.tail.isPaused);
    const wanted =
      active.reduce((sum, e) => sum + 1000 / e.tail.pollIntervalMs, 0) + this.options.otherCallsPerSecond;
    return {
      callsPerSecond: this.budget.callsPerSecond,
      activeTails: active.length,
      waiting: this.budget.waiting,
      shared: wanted > this.budget.callsPerSecond,
    };
  }

  status(): LogsOverview {
    return {
      groups: this.functions.map((f) => ({ functionName: f.name, label: f.label, logGroup: f.logGroup })),
      budget: this.budgetStatus(),
      tails: [...this.entries.values()].map((e) => this.statusOf(e)),
    };
  }

  async stop(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((key) => this.remove(key)));
  }

  private acquire(key: string, fn: TailedFunction, filterPattern: string): TailEntry {
    const existing = this.entries.get(key);
    if (existing) {
      if (existing.idleTimer) clearTimeout(existing.idleTimer);
      existing.idleTimer = null;
      existing.tail.resume();
      return existing;
    }
    if (this.entries.size >= this.options.maxTails) {
      // One nobody watches any more gives way; if all are watched, the new one waits its turn.
      const idle = [...this.entries].find(([, e]) => !this.watched(e));
      if (!idle)
        throw new TooManyRequests(
          'TooManyTails',
          `Flightdeck runs at most ${this.options.maxTails} distinct live tails at once (logs.maxTails), and all are watched: open one of them (GET /api/v1/logs lists them) or try again when one closes.`,
        );
      void this.remove(idle[0]);
    }
    const tail = new LogTail(fn.name, fn.logGroup, filterPattern, this.read, this.options, this.options.now);
    const entry: TailEntry = {
      tail,
      subscribers: new Set(),
      idleTimer: null,
      joining: 0,
      heldUntil: 0,
      holdTimer: null,
      droppedClients: 0,
      peakClientBufferedBytes: 0,
      lastDigest: '',
      off: [],
    };
    entry.off.push(
      tail.onLines(() => {
        for (const subscriber of entry.subscribers) subscriber.pump();
      }),
      tail.onStatus(() => this.statusChanged(entry)),
    );
    this.entries.set(key, entry);
    tail.start();
    return entry;
  }

  private watched(entry: TailEntry): boolean {
    return entry.subscribers.size > 0 || entry.joining > 0 || entry.heldUntil > Date.now();
  }

  /**
   * Its last viewer left: the tail stops calling at once (its queued call gives up its place in the
   * budget) and is removed after `idleMs` unless a viewer comes back, who then resumes.
   */
  private release(key: string, entry: TailEntry): void {
    if (this.watched(entry) || entry.idleTimer) return;
    entry.tail.pause();
    this.broadcastStatus();
    entry.idleTimer = setTimeout(() => {
      entry.idleTimer = null;
      if (!this.watched(entry)) void this.remove(key);
    }, this.options.idleMs);
    entry.idleTimer.unref();
  }

  private async remove(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    if (entry.holdTimer) clearTimeout(entry.holdTimer);
    for (const off of entry.off) off();
    await entry.tail.stop();
    this.broadcastStatus();
  }

  private statusOf(entry: TailEntry): TailStatus {
    const { tail } = entry;
    let clientBufferedBytes = 0;
    for (const s of entry.subscribers) clientBufferedBytes = Math.max(clientBufferedBytes, s.bufferedBytes);
    return {
      functionName: tail.functionName,
      logGroup: tail.logGroup,
      filterPattern: tail.filterPattern,
      epoch: tail.epoch,
      lastSeq: tail.buffer.lastSeq,
      bufferedLines: tail.buffer.length,
      bufferCapacity: tail.buffer.capacity,
      clients: entry.subscribers.size,
      pollIntervalMs: tail.pollIntervalMs,
      effectivePollMs: tail.effectivePollMs === null ? null : Math.round(tail.effectivePollMs),
      lastPollAt: tail.lastPollAt?.toISOString() ?? null,
      error: tail.error,
      budget: this.budgetStatus(),
      clientBufferedBytes,
      peakClientBufferedBytes: entry.peakClientBufferedBytes,
      droppedClients: entry.droppedClients,
    };
  }

  /** Viewers hear about a tail's state only when it means something new to them. */
  private statusChanged(entry: TailEntry): void {
    const s = this.statusOf(entry);
    const digest = [
      s.error?.code,
      s.budget.shared,
      s.budget.activeTails,
      s.effectivePollMs === null ? null : Math.round(s.effectivePollMs / 500),
    ].join('|');
    if (digest === entry.lastDigest) return;
    entry.lastDigest = digest;
    for (const subscriber of entry.subscribers) subscriber.sendStatus(s);
  }

  private broadcastStatus(): void {
    for (const entry of this.entries.values()) this.statusChanged(entry);
  }
}
