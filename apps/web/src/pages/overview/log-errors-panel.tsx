import type { RecentLogErrors } from '@flightdeck/contracts';

const shortName = (fn: string) => fn.replace(/^.*-prod-/, '').replace(/-[A-Za-z0-9]+$/, '');

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
        {logs.lines.length} newest lines matching <code>{logs.pattern}</code> in the last {logs.windowMinutes}{' '}
        minutes
      </p>
      <ul className="log-lines" data-testid="log-errors">
        {logs.lines.map((line) => (
          <li key={line.eventId}>
            <time>{line.timestamp.slice(11, 19)}</time>{' '}
            <span className="tag">{shortName(line.functionName)}</span>{' '}
            <span className="mono">{line.message}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
