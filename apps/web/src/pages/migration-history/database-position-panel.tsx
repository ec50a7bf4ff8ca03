import type { MigrationReport } from '@flightdeck/contracts';
import { countOf } from '../../format';

type Position = NonNullable<MigrationReport['position']>;

/** Where the database stands against the code: current, head, and what an upgrade would run. */
export function DatabasePositionPanel({
  position,
  heads,
  via,
}: {
  position: Position;
  heads: string[];
  via: 'direct' | 'lambda';
}) {
  return (
    <div className="position" data-testid="database-position">
      <p className="big-line">
        <code data-testid="position-current">
          {position.current.length ? position.current.join(', ') : '(empty alembic_version)'}
        </code>
        <span className="arrow" aria-hidden>
          →
        </span>
        <code data-testid="position-head">{heads.join(', ') || '(no head)'}</code>
      </p>
      {position.unknown.length > 0 ? (
        <p className="status status--bad" role="alert" data-testid="position-state">
          The database is at {position.unknown.join(', ')}, which no script in this versions folder declares:
          it is ahead of this code or has diverged from it. Do not deploy this code until you know who applied{' '}
          {position.unknown.length === 1 ? 'that revision' : 'those revisions'}.
        </p>
      ) : position.upToDate ? (
        <p className="status status--ok" data-testid="position-state">
          Up to date
        </p>
      ) : (
        <>
          <p className="status status--warn" data-testid="position-state">
            {countOf(position.pending.length, 'pending migration')}
          </p>
          <ol className="pending-list" data-testid="position-pending">
            {position.pending.map((revision) => (
              <li key={revision}>
                <code>{revision}</code>
              </li>
            ))}
          </ol>
        </>
      )}
      <p className="muted small">
        alembic_version read {via === 'lambda' ? 'through the SQL Lambda function' : 'directly'}
      </p>
    </div>
  );
}
