import {
  parseEventStream,
  type ErrorResponse,
  type EventStreamMessage,
  type TailDroppedEvent,
  type TailGapEvent,
  type TailLine,
  type TailStatus,
} from '@flightdeck/contracts';

export type TailConnection = 'connecting' | 'live' | 'reconnecting' | 'refused';

export interface LogTailConnectionOptions {
  functionName: string;
  /** A CloudWatch Logs filter pattern; '' for every line. */
  filter: string;
  /** Where the BFF is: '' (this page's origin) in the browser. */
  origin?: string;
  /** Wait between a dropped connection and the next attempt. */
  reconnectMs?: number;
}

type Listener<T extends unknown[]> = (...args: T) => void;

/** Lines remembered for deduplication: as many as the page keeps on screen. */
const rememberedLines = 5_000;

/**
 * One live tail of a function's log group over SSE, without React. It is read with fetch rather
 * than EventSource so a refusal's message (a bad pattern, an unknown function) can be shown. A
 * dropped connection reconnects with Last-Event-ID, so the server replays exactly what was
 * missed; a line the server repeats after restarting its tail is delivered once.
 */
export class LogTailConnection {
  private readonly url: string;
  private readonly reconnectMs: number;
  private readonly controller = new AbortController();
  private lastEventId: string | undefined;
  private started = false;
  private readonly seenIds = new Set<string>();
  private readonly seenOrder: string[] = [];
  private readonly listeners = {
    lines: new Set<Listener<[TailLine[]]>>(),
    status: new Set<Listener<[TailStatus]>>(),
    connection: new Set<Listener<[TailConnection, string | null]>>(),
    notice: new Set<Listener<[string]>>(),
  };

  constructor({ functionName, filter, origin = '', reconnectMs = 1_000 }: LogTailConnectionOptions) {
    this.url = `${origin}/api/v1/logs/${encodeURIComponent(functionName)}/tail?filter=${encodeURIComponent(filter)}`;
    this.reconnectMs = reconnectMs;
  }

  /** New lines, oldest first, each once; one call per chunk the server sent. */
  onLines(listener: Listener<[TailLine[]]>) {
    return this.subscribe(this.listeners.lines, listener);
  }

  /** The server's view of the shared tail: poll interval, budget, last failure. */
  onStatus(listener: Listener<[TailStatus]>) {
    return this.subscribe(this.listeners.status, listener);
  }

  /** Live, reconnecting, or refused with the server's reason (then it stops trying). */
  onConnection(listener: Listener<[TailConnection, string | null]>) {
    return this.subscribe(this.listeners.connection, listener);
  }

  /** Gaps and drops, worded for the person reading the tail. */
  onNotice(listener: Listener<[string]>) {
    return this.subscribe(this.listeners.notice, listener);
  }

  connect(): void {
    if (this.started) return;
    this.started = true;
    void this.run();
  }

  /** Stops reading and reconnecting; no listener is called afterwards. */
  close(): void {
    this.controller.abort();
  }

  private get closed() {
    return this.controller.signal.aborted;
  }

  private subscribe<T extends unknown[]>(set: Set<Listener<T>>, listener: Listener<T>) {
    set.add(listener);
    return () => void set.delete(listener);
  }

  private emit<T extends unknown[]>(set: Set<Listener<T>>, ...args: T) {
    if (this.closed) return;
    for (const listener of set) listener(...args);
  }

  private async run() {
    const { signal } = this.controller;
    while (!signal.aborted) {
      try {
        const response = await fetch(this.url, {
          headers: {
            accept: 'text/event-stream',
            ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}),
          },
          signal,
        });
        if (response.status >= 400 && response.status < 500) {
          const body = (await response.json().catch(() => null)) as ErrorResponse | null;
          this.emit(
            this.listeners.connection,
            'refused',
            body?.error.message ?? `The server refused the tail (${response.status}).`,
          );
          return;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        this.emit(this.listeners.connection, 'live', null);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const lines: TailLine[] = [];
          buffer = parseEventStream(buffer + value, (message) => this.read(message, lines));
          if (lines.length) this.emit(this.listeners.lines, lines);
        }
      } catch {
        if (signal.aborted) return;
      }
      this.emit(this.listeners.connection, 'reconnecting', null);
      await sleep(this.reconnectMs, signal);
    }
  }

  private read(message: EventStreamMessage, lines: TailLine[]) {
    if (message.event === 'line') {
      if (message.id) this.lastEventId = message.id;
      const line = JSON.parse(message.data) as TailLine;
      if (this.remember(line.eventId)) lines.push(line);
    } else if (message.event === 'status') {
      this.emit(this.listeners.status, JSON.parse(message.data) as TailStatus);
    } else if (message.event === 'gap') {
      const gap = JSON.parse(message.data) as TailGapEvent;
      this.emit(
        this.listeners.notice,
        gap.reason === 'tail-restarted'
          ? 'The server restarted this tail: lines from the break may be missing.'
          : 'Some lines from the break were no longer buffered and are missing.',
      );
    } else if (message.event === 'dropped') {
      const dropped = JSON.parse(message.data) as TailDroppedEvent;
      if (dropped.resumeFrom) this.lastEventId = dropped.resumeFrom;
      this.emit(
        this.listeners.notice,
        'This browser fell behind and was disconnected; reconnecting where it left off.',
      );
    }
  }

  /** False for a line already delivered: a resume after a restarted tail may repeat some. */
  private remember(eventId: string): boolean {
    if (this.seenIds.has(eventId)) return false;
    this.seenIds.add(eventId);
    this.seenOrder.push(eventId);
    if (this.seenOrder.length > rememberedLines) this.seenIds.delete(this.seenOrder.shift()!);
    return true;
  }
}

function sleep(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
