import type { TailLine } from '@flightdeck/contracts';
import { classifyLogLine } from './log-line.js';

/** One event as FilterLogEvents returns it. */
export interface RawLogEvent {
  eventId: string;
  timestamp: number;
  logStream: string;
  message: string;
}

const byTimeThenId = (a: RawLogEvent, b: RawLogEvent) =>
  a.timestamp - b.timestamp || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

/**
 * The lines of one live tail: a ring of the newest `capacity` lines, each numbered with a
 * sequence that only grows, so a viewer can say "after 1234" and get exactly what it missed.
 *
 * Polls overlap (each starts a little before the newest line seen, to catch lines CloudWatch
 * ingested late) and pages can repeat, so events are deduplicated by eventId. New events are
 * ordered by timestamp then eventId; a line that arrives after newer ones were already numbered
 * comes after them, with its own timestamp.
 */
export class TailBuffer {
  private readonly slots: (TailLine | undefined)[];
  private size = 0;
  private seq = 0;
  private newest = Number.NEGATIVE_INFINITY;
  /** eventId → timestamp of recently seen events, for dedupe within the overlap. */
  private readonly seen = new Map<string, number>();

  constructor(
    readonly capacity: number,
    /** How far behind the newest line a repeat can still arrive (≥ the poll overlap). */
    private readonly dedupeHorizonMs: number,
    /** Bound on remembered ids, whatever the line rate. */
    private readonly maxRemembered = Math.max(1_000, capacity * 4),
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be ≥ 1, got ${capacity}`);
    this.slots = new Array<TailLine | undefined>(capacity);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Sequence of the oldest line still held; null while empty. */
  get oldestSeq(): number | null {
    return this.size === 0 ? null : this.seq - this.size + 1;
  }

  get length(): number {
    return this.size;
  }

  /** Timestamp the next poll should start from, overlapping the newest line seen; null before any. */
  nextStartTime(overlapMs: number): number | null {
    return Number.isFinite(this.newest) ? this.newest - overlapMs : null;
  }

  /** Adds the events not seen before and returns them as numbered lines, in order. */
  append(events: RawLogEvent[]): TailLine[] {
    const horizon = this.newest - this.dedupeHorizonMs;
    const fresh: RawLogEvent[] = [];
    for (const event of [...events].sort(byTimeThenId)) {
      // Older than the horizon: its id may already be forgotten, so it can't be told from a repeat.
      if (event.timestamp < horizon || this.seen.has(event.eventId)) continue;
      this.seen.set(event.eventId, event.timestamp);
      fresh.push(event);
    }
    const added = fresh.map((event) => this.push(event));
    this.forget();
    return added;
  }

  /** Lines after `seq`, at most `limit`; `evicted` when lines between were already overwritten. */
  after(seq: number, limit = Number.POSITIVE_INFINITY): { lines: TailLine[]; evicted: boolean } {
    const oldest = this.oldestSeq;
    if (oldest === null || seq >= this.seq) return { lines: [], evicted: false };
    const from = Math.max(seq + 1, oldest);
    const to = Math.min(this.seq, from + limit - 1);
    const lines: TailLine[] = [];
    for (let s = from; s <= to; s++) lines.push(this.slots[s % this.capacity]!);
    return { lines, evicted: seq + 1 < oldest };
  }

  private push(event: RawLogEvent): TailLine {
    this.seq += 1;
    if (event.timestamp > this.newest) this.newest = event.timestamp;
    const line: TailLine = {
      seq: this.seq,
      eventId: event.eventId,
      timestamp: new Date(event.timestamp).toISOString(),
      logStream: event.logStream,
      message: event.message.trimEnd(),
      ...classifyLogLine(event.message),
    };
    this.slots[this.seq % this.capacity] = line;
    this.size = Math.min(this.capacity, this.size + 1);
    return line;
  }

  private forget(): void {
    const horizon = this.newest - this.dedupeHorizonMs;
    // Ids were inserted in roughly timestamp order, so the stale ones sit at the front.
    for (const [id, timestamp] of this.seen) {
      if (timestamp >= horizon && this.seen.size <= this.maxRemembered) break;
      this.seen.delete(id);
    }
  }
}
