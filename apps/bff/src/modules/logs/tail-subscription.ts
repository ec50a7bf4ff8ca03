import type { TailDroppedEvent, TailGapEvent } from '@flightdeck/contracts';
import type { LogTail } from './log-tail.js';
import { sseFrame } from '../../platform/sse/sse-frame.js';

/** Where a subscription writes: an SSE response, with its backpressure visible. */
export interface TailSink {
  write(chunk: string): boolean;
  onDrain(listener: () => void): void;
  readonly bufferedBytes: number;
  end(finalChunk?: string): void;
  readonly closed: boolean;
}

export interface TailSubscriptionOptions {
  /** A client that can't take data and is this many lines behind is dropped with a notice… */
  maxLagLines: number;
  /** …once its socket has not drained for this long: a burst a reader is working through is no stall. */
  stallGraceMs: number;
  /** Lines a new viewer (no resume point) gets from before it connected. */
  initialLines: number;
  /** Lines per socket write. */
  chunkLines: number;
}

/** `<epoch>-<seq>` → its parts; null for anything else. */
export function parseTailEventId(id: string): { epoch: string; seq: number } | null {
  const match = /^([0-9a-z]+)-(\d+)$/.exec(id.trim());
  return match ? { epoch: match[1]!, seq: Number(match[2]) } : null;
}

/**
 * One viewer of a shared tail. It holds only a cursor into the tail's ring buffer, never a copy
 * of lines: it writes while the socket takes data and waits for `drain` when it doesn't, so a
 * stalled client costs at most one socket buffer. One whose socket stays full while it falls
 * `maxLagLines` behind is dropped with a notice saying where to resume.
 */
export class TailSubscription {
  private cursor = 0;
  private blocked = false;
  private blockedSince = 0;
  dropped = false;

  constructor(
    private readonly tail: LogTail,
    private readonly sink: TailSink,
    private readonly options: TailSubscriptionOptions,
    private readonly onWrite: (bufferedBytes: number) => void = () => undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Positions the cursor (resuming after `lastEventId` when given) and sends what is due. */
  start(lastEventId: string | undefined): void {
    const buffer = this.tail.buffer;
    if (lastEventId) {
      const parsed = parseTailEventId(lastEventId);
      if (parsed && parsed.epoch === this.tail.epoch && parsed.seq <= buffer.lastSeq) {
        // An evicted resume point is reported by pump() as a gap.
        this.cursor = parsed.seq;
      } else {
        const reason: TailGapEvent['reason'] =
          parsed && parsed.epoch !== this.tail.epoch ? 'tail-restarted' : 'unknown-id';
        this.cursor = (buffer.oldestSeq ?? buffer.lastSeq + 1) - 1;
        this.writeGap(reason, lastEventId);
      }
    } else {
      const oldest = buffer.oldestSeq ?? buffer.lastSeq + 1;
      this.cursor = Math.max(oldest - 1, buffer.lastSeq - this.options.initialLines);
    }
    this.pump();
  }

  /** Sends a status frame now (it may be dropped later with the client if the socket is stalled). */
  sendStatus(status: unknown): void {
    if (this.sink.closed || this.dropped) return;
    this.sink.write(sseFrame('status', status));
  }

  /** Writes buffered lines after the cursor while the socket takes them. */
  pump(): void {
    if (this.sink.closed || this.dropped) return;
    if (this.blocked) return this.checkLag();
    for (;;) {
      const { lines, evicted } = this.tail.buffer.after(this.cursor, this.options.chunkLines);
      if (evicted) this.writeGap('evicted', this.tail.idOf(this.cursor));
      const last = lines.at(-1);
      if (!last) return;
      let chunk = '';
      for (const line of lines) chunk += this.tail.frameOf(line);
      this.cursor = last.seq;
      const accepted = this.sink.write(chunk);
      this.onWrite(this.sink.bufferedBytes);
      if (!accepted) {
        this.blocked = true;
        this.blockedSince = this.now();
        this.sink.onDrain(() => {
          this.blocked = false;
          this.pump();
        });
        return this.checkLag();
      }
    }
  }

  get lag(): number {
    return this.tail.buffer.lastSeq - this.cursor;
  }

  get bufferedBytes(): number {
    return this.sink.closed ? 0 : this.sink.bufferedBytes;
  }

  private checkLag(): void {
    const stalled = this.blocked && this.now() - this.blockedSince >= this.options.stallGraceMs;
    if (stalled && this.lag > this.options.maxLagLines) {
      this.dropped = true;
      const notice: TailDroppedEvent = {
        reason: `This client fell ${this.lag} lines behind the live tail and was disconnected so the server's memory stays bounded; reconnect to resume.`,
        resumeFrom: this.tail.idOf(this.cursor),
      };
      this.sink.end(sseFrame('dropped', notice));
    }
  }

  private writeGap(reason: TailGapEvent['reason'], lastEventId: string): void {
    const oldest = this.tail.buffer.oldestSeq;
    const gap: TailGapEvent = { reason, lastEventId, resumesAtSeq: oldest };
    this.sink.write(sseFrame('gap', gap));
  }
}
