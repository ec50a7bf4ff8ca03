import type { RecentLogErrors } from '@flightdeck/contracts';

/**
 * Missing columns and tables per function: the sign that code runs against a database that lacks
 * its migrations (the story's "relation … does not exist").
 */
export function SchemaErrorsPanel({ logs, labels }: { logs: RecentLogErrors; labels: Map<string, string> }) {
  return (
    <div className="schema-errors" data-testid="schema-errors">
      <h3 className="small">
        Schema errors in the last {logs.windowMinutes} minutes{logs.complete ? '' : ' (at least)'}
      </h3>
      <ul>
        {logs.schemaErrors.map((fn) => (
          <li key={fn.functionName} data-testid="schema-error-count" data-function={fn.functionName}>
            <span title={fn.functionName}>{labels.get(fn.functionName) ?? fn.functionName}</span>{' '}
            <strong className={fn.count > 0 ? 'bad' : 'ok'} data-testid="schema-error-number">
              {fn.count}
            </strong>
            {fn.objects.length > 0 && (
              <span className="muted small">
                {' '}
                missing{' '}
                {fn.objects
                  .slice(0, 3)
                  .map((o) => `${o.kind} ${o.name}`)
                  .join(', ')}
                {fn.objects.length > 3 ? ` and ${fn.objects.length - 3} more` : ''}
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
