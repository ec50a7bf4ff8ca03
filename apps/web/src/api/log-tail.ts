import { useEffect, useState } from 'react';
import type { TailLine, TailStatus } from '@flightdeck/contracts';
import { LogTailConnection, type TailConnection } from './log-tail-connection';

export type { TailConnection } from './log-tail-connection';

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

/** What arrived since the last render. */
export interface TailBatch {
  lines: TailLine[];
  patch: Partial<Pick<LogTailState, 'status' | 'connection' | 'refusal'>>;
  notices: string[];
}

const maxLines = 5_000;
const empty: LogTailState = {
  lines: [],
  received: 0,
  status: null,
  connection: 'connecting',
  notices: [],
  refusal: null,
};
const emptyBatch = (): TailBatch => ({ lines: [], patch: {}, notices: [] });

/** The state after a batch: lines appended and trimmed to the newest `maxLines`, the last five notices. */
export function appendTailBatch(state: LogTailState, { lines, patch, notices }: TailBatch): LogTailState {
  let merged = state.lines;
  if (lines.length) {
    merged = [...state.lines, ...lines];
    if (merged.length > maxLines) merged = merged.slice(merged.length - maxLines);
  }
  return {
    ...state,
    ...patch,
    lines: merged,
    received: state.received + lines.length,
    notices: notices.length ? [...state.notices, ...notices].slice(-5) : state.notices,
  };
}

/** A live tail for a page: the connection's events, batched into one render per 50 ms. */
export function useLogTail(functionName: string | null, filter: string): LogTailState {
  const [state, setState] = useState<LogTailState>(empty);

  useEffect(() => {
    setState(empty);
    if (!functionName) return;
    const connection = new LogTailConnection({ functionName, filter });
    let pending = emptyBatch();
    let flushTimer: number | undefined;
    const schedule = () => {
      flushTimer ??= window.setTimeout(() => {
        flushTimer = undefined;
        const batch = pending;
        pending = emptyBatch();
        setState((previous) => appendTailBatch(previous, batch));
      }, 50);
    };
    connection.onLines((lines) => {
      pending.lines = pending.lines.concat(lines);
      schedule();
    });
    connection.onStatus((status) => {
      pending.patch.status = status;
      schedule();
    });
    connection.onConnection((state, refusal) => {
      pending.patch.connection = state;
      if (refusal !== null) pending.patch.refusal = refusal;
      schedule();
    });
    connection.onNotice((notice) => {
      pending.notices.push(notice);
      schedule();
    });
    connection.connect();
    return () => {
      connection.close();
      if (flushTimer !== undefined) window.clearTimeout(flushTimer);
    };
  }, [functionName, filter]);

  return state;
}
