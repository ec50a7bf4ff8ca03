import type { SourceError, TailLine } from '@flightdeck/contracts';
import { TailBuffer } from '@flightdeck/core';
import type { LogEventsQuery, ReadLogEvents } from '../../platform/upstreams/log-events-reader.js';

export type {
  LogEventsPage,
  LogEventsQuery,
  ReadLogEvents,
} from '../../platform/upstreams/log-events-reader.js';
import { describeError } from '../../platform/sources/collector.js';
import { sseFrame } from '../../platform/sse/sse-frame.js';

export interface LogTailOptions {
  bufferLines: number;
  pollIntervalMs: number;
  /** How far back the first poll reaches, so a new tail isn't blank. */
  backfillMs: number;
  /** How far each poll reaches back before the newest line, for lines CloudWatch ingests late. */
  overlapMs: number;
  /** Pages per poll; the rest continue from the saved token on the next poll, without a gap. */
  maxPagesPerPoll: number;
}

/** Errors that no retry fixes: the pattern itself is wrong. */
const fatalErrors = new Set(['InvalidParameterException']);

let epochCounter = 0;

/**
 * One live tail of a (log group, filter pattern): polls FilterLogEvents, keeps the newest lines in a
 * ring buffer with growing sequence numbers and tells listeners about new lines. Every viewer of the
 * same query shares it, so viewers add no calls.
 */
export class LogTail {
  readonly buffer: TailBuffer;
  /** Distinguishes this tail's sequence numbers from an earlier tail's of the same query. */
  readonly epoch: string;
  private readonly frames: (string | undefined)[];
  private readonly frameSeqs: number[];
  private readonly lineListeners = new Set<() => void>();
  private readonly statusListeners = new Set<() => void>();
  private running = false;
  /** Nobody watches: no polls, and the one queued for a token gave up its place. */
  private paused = false;
  private controller = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private continuation: LogEventsQuery | null = null;
  private firstPoll: Promise<void>;
  private firstPollDone!: () => void;
  private lastPollStart: number | null = null;
  private polls = 0;

  lastPollAt: Date | null = null;
  effectivePollMs: number | null = null;
  error: SourceError | null = null;
  /** Set when the query can never work (a bad pattern); the tail stops. */
  fatal: SourceError | null = null;

  constructor(
    readonly functionName: string,
    readonly logGroup: string,
    readonly filterPattern: string,
    private readonly read: ReadLogEvents,
    private readonly options: LogTailOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.buffer = new TailBuffer(options.bufferLines, options.overlapMs * 2);
    this.frames = new Array<string | undefined>(options.bufferLines);
    this.frameSeqs = new Array<number>(options.bufferLines).fill(0);
    this.epoch = `${Date.now().toString(36)}${(epochCounter++).toString(36)}`;
    this.firstPoll = new Promise((resolve) => (this.firstPollDone = resolve));
  }

  get pollIntervalMs(): number {
    return this.options.pollIntervalMs;
  }

  get pollCount(): number {
    return this.polls;
  }

  /** The SSE id of a line: epoch and sequence. */
  idOf(seq: number): string {
    return `${this.epoch}-${seq}`;
  }

  /** The line's SSE frame, serialised once for every viewer. */
  frameOf(line: TailLine): string {
    const slot = line.seq % this.options.bufferLines;
    let frame = this.frames[slot];
    if (frame === undefined || this.frameSeqs[slot] !== line.seq) {
      frame = sseFrame('line', line, this.idOf(line.seq));
      this.frames[slot] = frame;
      this.frameSeqs[slot] = line.seq;
    }
    return frame;
  }

  onLines(listener: () => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Resolves after the first poll ended (or `timeoutMs`), so a bad pattern can be refused up front. */
  async firstPolled(timeoutMs: number): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      this.firstPoll,
      new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timeout);
  }

  start(): void {
    if (this.running || this.fatal) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.controller.abort(new Error('tail stopped'));
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
  }

  /**
   * Its last viewer left: the call it has queued (or in flight) is dropped and it polls no more
   * until `resume`. Its lines and epoch stay, so a viewer coming back resumes where it left off.
   */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.controller.abort(new Error('tail paused: nobody watches'));
  }

  /** A viewer is back: poll now, from the newest line kept (nothing in between is missed). */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.controller = new AbortController();
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.paused) {
        // A tail nobody watches settles its first poll at once, so whoever waits on it goes on.
        this.firstPollDone();
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      // Poll pacing is wall time; the window read (below) is on the shown clock.
      const started = Date.now();
      if (this.lastPollStart !== null) this.effectivePollMs = started - this.lastPollStart;
      this.lastPollStart = started;
      const signal = this.controller.signal;
      try {
        await this.poll(signal);
        this.error = null;
      } catch (error) {
        // Paused or stopped mid-call: nothing went wrong, nobody wants the answer.
        if (signal.aborted) {
          this.lastPollStart = null;
          continue;
        }
        this.error = describeError(error, new Date(this.now()));
        if (fatalErrors.has(this.error.code)) {
          this.fatal = this.error;
          this.running = false;
        }
      }
      this.polls++;
      this.lastPollAt = new Date(this.now());
      this.firstPollDone();
      this.notifyStatus();
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.options.pollIntervalMs);
      });
      this.wake = null;
    }
    this.firstPollDone();
  }

  private async poll(signal: AbortSignal): Promise<void> {
    const endTime = this.now();
    // Continue an interrupted paging with its own window, else overlap the newest line seen.
    let query: LogEventsQuery = this.continuation ?? {
      logGroupName: this.logGroup,
      filterPattern: this.filterPattern,
      startTime: this.buffer.nextStartTime(this.options.overlapMs) ?? endTime - this.options.backfillMs,
      endTime,
    };
    this.continuation = null;
    for (let page = 0; page < this.options.maxPagesPerPoll && this.running; page++) {
      const out = await this.read(query, signal);
      if (this.buffer.append(out.events).length > 0) {
        for (const listener of this.lineListeners) listener();
      }
      if (!out.nextToken) return;
      query = { ...query, nextToken: out.nextToken };
    }
    if (query.nextToken) this.continuation = query;
  }

  private notifyStatus(): void {
    for (const listener of this.statusListeners) listener();
  }
}
