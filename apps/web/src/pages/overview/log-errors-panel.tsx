import type { RecentLogErrors } from '@flightdeck/contracts';
import { countOf } from '../../format';

const shortName = (fn: string) => fn.replace(/^.*-prod-/, '').replace(/-[A-Za-z0-9]+$/, '');

/** A traceback reads from its exception line (the last one naming an error); the rest is there when asked for. */
export function headlineOf(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const exception = lines.filter((l) => /^[\w.]*(Error|Exception)\b.*:/.test(l)).at(-1);
  return exception ?? lines[0] ?? message;
}

export function LogErrorsPanel({ logs }: { logs: RecentLogErrors }) {
  if (logs.lines.length === 0) {
    return (
      <p className="status status--ok" data-testid="log-errors-empty">
        No error lines in the last {logs.windowMinutes} minutes.
      </p>
    );
  }
  return (
    <>
      <p className="muted small">
        {countOf(logs.lines.length, 'newest line')} matching <code>{logs.pattern}</code> in the last{' '}
        {countOf(logs.windowMinutes, 'minute')}
      </p>
      <ul className="log-lines" data-testid="log-errors">
        {logs.lines.map((line) => (
          <li key={line.eventId}>
            <time>{line.timestamp.slice(11, 19)}</time>{' '}
            <span className="tag">{shortName(line.functionName)}</span>{' '}
            {line.message.includes('\n') ? (
              <details>
                <summary className="mono">{headlineOf(line.message)}</summary>
                <pre className="mono">{line.message}</pre>
              </details>
            ) : (
              <span className="mono">{line.message}</span>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
