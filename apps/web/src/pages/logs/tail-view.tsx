import { useLayoutEffect, useRef, useState } from 'react';
import type { TailLine } from '@flightdeck/contracts';
import type { LogTailState } from '../../api/log-tail';
import { TailStatusLine } from './tail-status-line';

/** Pixels from the bottom that still count as "at the live edge". */
const edgePx = 24;

/**
 * The lines of one tail. Pause freezes what is shown while new lines keep buffering; follow keeps
 * the newest line in view until the reader scrolls up; "Jump to live" returns to the edge.
 */
export function TailView({ tail }: { tail: LogTailState }) {
  const [paused, setPaused] = useState<{ lines: TailLine[]; received: number } | null>(null);
  const [follow, setFollow] = useState(true);
  const list = useRef<HTMLOListElement>(null);
  const shown = paused ? paused.lines : tail.lines;
  const buffered = paused ? tail.received - paused.received : 0;

  useLayoutEffect(() => {
    const el = list.current;
    if (el && follow && !paused) el.scrollTop = el.scrollHeight;
  }, [shown, follow, paused]);

  const jumpToLive = () => {
    setPaused(null);
    setFollow(true);
  };

  return (
    <section className="tail" aria-label="Live tail">
      <div className="toolbar">
        <button
          type="button"
          className={paused ? 'toggle toggle--on' : 'toggle'}
          aria-pressed={paused !== null}
          data-testid="log-pause"
          onClick={() => setPaused(paused ? null : { lines: tail.lines, received: tail.received })}
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
        <label className="small">
          <input
            type="checkbox"
            checked={follow}
            data-testid="log-follow"
            onChange={(e) => setFollow(e.target.checked)}
          />{' '}
          Follow
        </label>
        {(paused || !follow) && (
          <button type="button" className="toggle" data-testid="log-jump-live" onClick={jumpToLive}>
            Jump to live{buffered > 0 ? ` (${buffered} new)` : ''}
          </button>
        )}
        {paused && (
          <span className="muted small" data-testid="log-buffered">
            paused: {buffered} new line{buffered === 1 ? '' : 's'} buffered
          </span>
        )}
        <TailStatusLine tail={tail} />
      </div>
      {tail.notices.length > 0 && (
        <ul className="tail-notices" data-testid="tail-notices">
          {tail.notices.map((notice, i) => (
            <li key={i}>{notice}</li>
          ))}
        </ul>
      )}
      <ol
        ref={list}
        className="log-lines log-lines--tail"
        data-testid="log-lines"
        onScroll={(e) => {
          const el = e.currentTarget;
          const atEdge = el.scrollHeight - el.scrollTop - el.clientHeight <= edgePx;
          if (atEdge !== follow) setFollow(atEdge);
        }}
      >
        {shown.length === 0 && <li className="muted">No lines yet{tail.connection === 'live' ? '' : '…'}</li>}
        {shown.map((line) => (
          <li
            key={line.eventId}
            className={`log-line log-line--${line.severity}`}
            data-testid="log-line"
            data-severity={line.severity}
          >
            <time dateTime={line.timestamp}>{line.timestamp.slice(11, 23)}</time>{' '}
            {line.schemaError && (
              <span className="tag tag--bad" title="The code expects this; the database lacks it">
                missing {line.schemaError.kind} {line.schemaError.name}
              </span>
            )}{' '}
            <span className="mono">{line.message}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
