import { useEffect, useRef, useState } from 'react';
import {
  parseEventStream,
  type EventStreamMessage,
  type ErrorResponse,
  type TailDroppedEvent,
  type TailGapEvent,
  type TailLine,
  type TailStatus,
} from '@flightdeck/contracts';

export type TailConnection = 'connecting' | 'live' | 'reconnecting' | 'refused';

export interface LogTailState {
  /** Newest last; at most `maxLines`, deduplicated by eventId. */
  lines: TailLine[];
  /** Lines received since the tail opened (keeps counting when old ones are trimmed). */
  received: number;
  status: TailStatus | null;
  connection: TailConnection;
  /** Gaps and drops, as the user should read them. */
  notices: string[];
  /** Why the server refused the tail (bad pattern, unknown function). */
  refusal: string | null;
}

const maxLines = 5_000;
const reconnectMs = 1_000;
const empty: LogTailState = {
  lines: [],
  received: 0,
  status: null,
  connection: 'connecting',
  notices: [],
  refusal: null,
};

/**
 * A live tail over SSE, read with fetch so a refusal's message can be shown. A dropped connection
 * reconnects with Last-Event-ID, so the server replays exactly what was missed; lines are batched
 * into one render per frame.
 */
export function useLogTail(functionName: string | null, filter: string): LogTailState {
  const [state, setState] = useState<LogTailState>(empty);
  const pending = useRef<{ lines: TailLine[]; patch: Partial<LogTailState>; notices: string[] }>({
    lines: [],
    patch: {},
    notices: [],
  });

  useEffect(() => {
    setState(empty);
    if (!functionName) return;
    const controller = new AbortController();
    let lastEventId: string | undefined;
    let flushTimer: number | undefined;

    const flush = () => {
      flushTimer = undefined;
      const { lines, patch, notices } = pending.current;
      pending.current = { lines: [], patch: {}, notices: [] };
      setState((prev) => {
        let merged = prev.lines;
        let received = prev.received;
        if (lines.length) {
          // A resume after a restarted tail may repeat lines this page already shows.
          const known = new Set(prev.lines.map((l) => l.eventId));
          const fresh: TailLine[] = [];
          for (const line of lines) {
            if (known.has(line.eventId)) continue;
            known.add(line.eventId);
            fresh.push(line);
          }
          received += fresh.length;
          merged = [...prev.lines, ...fresh];
          if (merged.length > maxLines) merged = merged.slice(merged.length - maxLines);
        }
        return {
          ...prev,
          ...patch,
          lines: merged,
          received,
          notices: notices.length ? [...prev.notices, ...notices].slice(-5) : prev.notices,
        };
      });
    };
    const schedule = () => {
      flushTimer ??= window.setTimeout(flush, 50);
    };

    const onMessage = (m: EventStreamMessage) => {
      if (m.event === 'line') {
        if (m.id) lastEventId = m.id;
        pending.current.lines.push(JSON.parse(m.data) as TailLine);
      } else if (m.event === 'status') {
        pending.current.patch.status = JSON.parse(m.data) as TailStatus;
      } else if (m.event === 'gap') {
        const gap = JSON.parse(m.data) as TailGapEvent;
        pending.current.notices.push(
          gap.reason === 'tail-restarted'
            ? 'The server restarted this tail: lines from the break may be missing.'
            : 'Some lines from the break were no longer buffered and are missing.',
        );
      } else if (m.event === 'dropped') {
        const dropped = JSON.parse(m.data) as TailDroppedEvent;
        if (dropped.resumeFrom) lastEventId = dropped.resumeFrom;
        pending.current.notices.push(
          'This browser fell behind and was disconnected; reconnecting where it left off.',
        );
      }
      schedule();
    };

    const run = async () => {
      const url = `/api/v1/logs/${encodeURIComponent(functionName)}/tail?filter=${encodeURIComponent(filter)}`;
      while (!controller.signal.aborted) {
        try {
          const response = await fetch(url, {
            headers: {
              accept: 'text/event-stream',
              ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
            },
            signal: controller.signal,
          });
          if (response.status >= 400 && response.status < 500) {
            const body = (await response.json().catch(() => null)) as ErrorResponse | null;
            pending.current.patch = {
              connection: 'refused',
              refusal: body?.error.message ?? `The server refused the tail (${response.status}).`,
            };
            schedule();
            return;
          }
          if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
          pending.current.patch.connection = 'live';
          schedule();
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer = parseEventStream(buffer + value, onMessage);
          }
        } catch {
          if (controller.signal.aborted) return;
        }
        pending.current.patch.connection = 'reconnecting';
        schedule();
        await new Promise((resolve) => setTimeout(resolve, reconnectMs));
      }
    };
    void run();
    return () => {
      controller.abort();
      if (flushTimer !== undefined) window.clearTimeout(flushTimer);
      pending.current = { lines: [], patch: {}, notices: [] };
    };
  }, [functionName, filter]);

  return state;
}
