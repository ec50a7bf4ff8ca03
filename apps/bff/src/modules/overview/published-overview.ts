import { createHash, randomBytes } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type {
  LambdaMetrics,
  LogLinesEvent,
  MetricPoint,
  MetricsPointsEvent,
  OverviewSources,
  RecentLogErrors,
  SourceChangedEvent,
  SourceName,
} from '@flightdeck/contracts';
import type { SourceHub } from './source-hub.js';
import { sseFrame } from '../../platform/sse/sse-frame.js';

/** One serialized overview, compressed on first demand and then kept until the next change. */
export class OverviewBody {
  private gzipped: Buffer | null = null;
  private brotlied: Buffer | null = null;
  /** The SSE snapshot frame of this body, built once for every new client. */
  snapshotFrame: string | null = null;
  constructor(
    readonly etag: string,
    /** The change id a stream opened right after this body resumes from. */
    readonly changeId: string,
    readonly json: Buffer,
  ) {}
  gzip(): Buffer {
    return (this.gzipped ??= gzipSync(this.json, { level: 6 }));
  }
  brotli(): Buffer {
    // Quality 5: most of brotli's gain at a few milliseconds per change, not 11's hundreds.
    return (this.brotlied ??= brotliCompressSync(this.json, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 5 },
    }));
  }
}

export interface ChangeFrame {
  seq: number;
  frame: string;
}

/** How many changes a reconnecting client may have missed and still get only those. */
const changeLogLength = 500;
/**
 * Freshness ticks of the sources polled within this long go out as one small message. A viewer
 * calls a source stale past 2 × its interval + 5 s (apps/web format.ts); with a tick at most every
 * 5 s the fetch time it shows is never older than its interval + 5 s, and a quiet stream costs
 * about a fifth of what one tick a second did.
 */
const freshnessBatchMs = 5_000;

/**
 * The overview as every viewer gets it, built from the hub's change feed: each source serialized
 * once per change, one SSE frame per change written to every client as is, a change log for
 * Last-Event-ID, and a polled-again-unchanged source sent as a tick. It only reads
 * hub.snapshot() and hub.subscribe(), so it works the same whether collectors poll or are fed.
 */
export class PublishedOverview {
  /** Ids from an earlier process (or another replica) can't be resumed: they get a snapshot. */
  readonly epoch = randomBytes(4).toString('hex');
  private seq = 0;
  private freshSeq = 0;
  private readonly sourceJson = new Map<SourceName, string>();
  private readonly changeKeys = new Map<SourceName, string>();
  private lastLogs: RecentLogErrors | null = null;
  private lastMetrics: LambdaMetrics | null = null;
  private readonly log: ChangeFrame[] = [];
  private readonly listeners = new Set<(frame: string) => void>();
  private body: OverviewBody | null = null;
  private pendingFresh: Partial<Record<SourceName, string>> = {};
  private freshTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly hub: SourceHub,
    private readonly environment: string,
    /** The clock people see: scenario time in the sandbox, so ages agree with the checklist's. */
    private readonly now: () => Date = () => new Date(),
  ) {
    const snapshot = hub.snapshot();
    for (const name of hub.names()) this.remember(name, snapshot[name]);
    this.unsubscribe = hub.subscribe((name, state) => this.publish(name, state));
  }

  get changeId(): string {
    return `${this.epoch}.${this.seq}`;
  }

  /** The current overview, serialized once per change or tick. */
  current(): OverviewBody {
    if (this.body) return this.body;
    const sources = `{${this.hub
      .names()
      .map((n) => `${JSON.stringify(n)}:${this.sourceJson.get(n)}`)
      .join(',')}}`;
    const json = Buffer.from(
      `{"environment":${JSON.stringify(this.environment)},"serverTime":"${this.now().toISOString()}",` +
        `"sources":${sources}}`,
    );
    // Named by its content, not by this process's counters: replicas serving the leader's states
    // give the same ETag, so a browser moving between them still gets its 304.
    const etag = `"${createHash('sha1').update(this.environment).update(sources).digest('base64url')}"`;
    this.body = new OverviewBody(etag, this.changeId, json);
    return this.body;
  }

  /** A snapshot frame: what a new client (or one whose id is gone) starts from. */
  snapshotFrame(): string {
    const body = this.current();
    return (body.snapshotFrame ??= `event: snapshot\nid: ${body.changeId}\ndata: {"overview":${body.json.toString()}}\n\n`);
  }

  /** The frames after `lastEventId`, or null when they are not all in the log any more. */
  changesSince(lastEventId: string | undefined): string[] | null {
    if (!lastEventId) return null;
    const [epoch, seqText] = lastEventId.split('.');
    const seq = Number(seqText);
    if (epoch !== this.epoch || !Number.isInteger(seq) || seq > this.seq) return null;
    if (seq === this.seq) return [];
    const oldest = this.log[0]?.seq ?? this.seq + 1;
    if (seq + 1 < oldest) return null;
    return this.log.filter((c) => c.seq > seq).map((c) => c.frame);
  }

  /** Every frame published from now on, as the same string for every client. */
  onFrame(listener: (frame: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A frame beside the overview (the lock view while a deploy is ready or migrating), sent to every
   * open stream as it is; not kept for resuming: a reconnecting page reads its own resource again.
   */
  announce(event: string, data: unknown): void {
    this.emit(sseFrame(event, data));
  }

  close(): void {
    this.unsubscribe();
    if (this.freshTimer) clearTimeout(this.freshTimer);
    this.listeners.clear();
  }

  private remember<K extends SourceName>(name: K, state: OverviewSources[K]): void {
    this.sourceJson.set(name, JSON.stringify(state));
    this.changeKeys.set(name, JSON.stringify([state.data, state.error]));
    if (name === 'logs') this.lastLogs = (state.data as RecentLogErrors | null) ?? null;
    if (name === 'metrics') this.lastMetrics = (state.data as LambdaMetrics | null) ?? null;
  }

  private publish<K extends SourceName>(name: K, state: OverviewSources[K]): void {
    const changeKey = JSON.stringify([state.data, state.error]);
    const changed = changeKey !== this.changeKeys.get(name);
    const previousLogs = this.lastLogs;
    const previousMetrics = this.lastMetrics;
    this.remember(name, state);
    this.body = null;
    if (!changed) {
      this.freshSeq++;
      if (state.fetchedAt) this.queueFresh(name, state.fetchedAt);
      return;
    }
    this.seq++;
    const id = this.changeId;
    const serverTime = this.now().toISOString();
    const logs = state.data as RecentLogErrors | null;
    const metricsPoints =
      name === 'metrics' && previousMetrics && state.data
        ? metricsPointsEvent(previousMetrics, state as OverviewSources['metrics'], serverTime)
        : null;
    const frame =
      name === 'logs' && logs && previousLogs
        ? sseFrame(
            'log-lines',
            logLinesEvent(previousLogs, logs, state as OverviewSources['logs'], serverTime),
            id,
          )
        : metricsPoints
          ? sseFrame('metrics-points', metricsPoints, id)
          : sseFrame('source', { source: name, state, serverTime } satisfies SourceChangedEvent, id);
    this.log.push({ seq: this.seq, frame });
    if (this.log.length > changeLogLength) this.log.shift();
    // A tick queued before this change must not carry an older fetch time after it.
    delete this.pendingFresh[name];
    this.emit(frame);
  }

  private queueFresh(name: SourceName, fetchedAt: string): void {
    this.pendingFresh[name] = fetchedAt;
    this.freshTimer ??= setTimeout(() => {
      this.freshTimer = null;
      const fetched = this.pendingFresh;
      this.pendingFresh = {};
      if (Object.keys(fetched).length === 0) return;
      this.emit(sseFrame('fresh', { fetchedAt: fetched, serverTime: this.now().toISOString() }));
    }, freshnessBatchMs);
    this.freshTimer.unref();
  }

  private emit(frame: string): void {
    for (const listener of this.listeners) listener(frame);
  }
}

function logLinesEvent(
  before: RecentLogErrors,
  after: RecentLogErrors,
  state: OverviewSources['logs'],
  serverTime: string,
): LogLinesEvent {
  const beforeIds = new Set(before.lines.map((l) => l.eventId));
  const afterIds = new Set(after.lines.map((l) => l.eventId));
  const { lines, ...summary } = after;
  return {
    added: lines.filter((l) => !beforeIds.has(l.eventId)),
    removed: before.lines.filter((l) => !afterIds.has(l.eventId)).map((l) => l.eventId),
    summary,
    fetchedAt: state.fetchedAt,
    error: state.error,
    intervalMs: state.intervalMs,
    serverTime,
  };
}

/**
 * The metrics as a move of the previous window: per function the longest run of the previous
 * series found at the start of the new one (after dropping `dropped` points), then what is new.
 * Null when the functions are not the same ones in the same order: the whole state goes instead.
 */
function metricsPointsEvent(
  before: LambdaMetrics,
  state: OverviewSources['metrics'],
  serverTime: string,
): MetricsPointsEvent | null {
  const after = state.data!;
  if (
    before.functions.length !== after.functions.length ||
    before.functions.some((f, i) => f.functionName !== after.functions[i]!.functionName)
  )
    return null;
  return {
    windowMinutes: after.windowMinutes,
    periodSeconds: after.periodSeconds,
    functions: after.functions.map(({ series, ...figures }, i) => {
      const { dropped, kept } = longestRun(before.functions[i]!.series, series);
      return { ...figures, dropped, kept, appended: series.slice(kept) };
    }),
    fetchedAt: state.fetchedAt,
    error: state.error,
    intervalMs: state.intervalMs,
    serverTime,
  };
}

/** The `dropped` start index in `before` from which the most points of `after`'s start follow. */
function longestRun(before: MetricPoint[], after: MetricPoint[]): { dropped: number; kept: number } {
  const keys = before.map((p) => JSON.stringify(p));
  const next = after.map((p) => JSON.stringify(p));
  let best = { dropped: before.length, kept: 0 };
  for (let dropped = 0; dropped < before.length; dropped++) {
    let kept = 0;
    while (dropped + kept < keys.length && kept < next.length && keys[dropped + kept] === next[kept]) kept++;
    if (kept > best.kept) best = { dropped, kept };
    // The window moves a minute or two at a time: a longer run can't start further in.
    if (keys.length - dropped <= best.kept) break;
  }
  return best;
}
