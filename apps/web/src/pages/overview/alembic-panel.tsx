import type { AlembicStatus } from '@flightdeck/contracts';

export function AlembicPanel({ status }: { status: AlembicStatus }) {
  const current = status.current.length ? status.current.join(', ') : '(empty alembic_version)';
  return (
    <div className="alembic">
      <p className="big-line">
        <code data-testid="alembic-current">{current}</code>
        <span className="arrow" aria-hidden>
          →
        </span>
        <code data-testid="alembic-head">{status.heads.join(', ') || '(no head)'}</code>
      </p>
      {status.upToDate ? (
        <p className="status status--ok" data-testid="alembic-state">
          Up to date
        </p>
      ) : (
        <p className="status status--warn" data-testid="alembic-state">
          {status.pending.length} pending migration{status.pending.length === 1 ? '' : 's'}
        </p>
      )}
      {status.pending.length > 0 && (
        <ol className="pending-list" data-testid="alembic-pending">
          {status.pending.map((rev) => (
            <li key={rev}>
              <code>{rev}</code>
            </li>
          ))}
        </ol>
      )}
      {status.unknown.length > 0 && (
        <p className="status status--bad" role="alert">
          The database is at {status.unknown.join(', ')}, which the code does not have: it is ahead of or
          diverged from this code.
        </p>
      )}
      <p className="muted small">
        read {status.via === 'lambda' ? 'through the SQL Lambda function' : 'directly'}
      </p>
    </div>
  );
}
