import { useQuery } from '@tanstack/react-query';
import type { LockSession, LockView, MigrationLockMeasurement } from '@flightdeck/contracts';
import { databaseLocksQuery, measuredLocksQuery } from '../api/locks';
import { SourceCard } from './source-card';

const seconds = (s: number | null) =>
  s === null ? '—' : s < 90 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`;
const modeName = (mode: string) =>
  mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();

const lockTimeoutAdvice =
  "Put SET lock_timeout = '5s' (and a statement_timeout) before the migration's first statement: a migration waiting on a lock makes everything behind it wait too.";

function SessionRow({ session, wait }: { session: LockSession; wait?: boolean }) {
  return (
    <tr data-testid="lock-session">
      <td>{session.pid}</td>
      <td>{session.application || <span className="muted">no name</span>}</td>
      <td>{session.state ?? <span className="muted">hidden</span>}</td>
      <td>{wait ? seconds(session.waitingSeconds) : seconds(session.transactionSeconds)}</td>
      <td>
        <code className="small">{session.query ?? '—'}</code>
      </td>
    </tr>
  );
}

function SessionTable({ sessions, wait }: { sessions: LockSession[]; wait?: boolean }) {
  return (
    <table className="table small">
      <thead>
        <tr>
          <th>pid</th>
          <th>Application</th>
          <th>State</th>
          <th>{wait ? 'Waiting' : 'Transaction open'}</th>
          <th>Query</th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((s) => (
          <SessionRow key={s.pid} session={s} wait={wait} />
        ))}
      </tbody>
    </table>
  );
}

/** Before the migration: would it wait? During: the migration's session and who waits behind it. */
export function LockViewBody({ view, compact }: { view: LockView; compact: boolean }) {
  const migration = view.migration;
  return (
    <div data-testid="locks-view">
      {view.privilegeGap && (
        <p className="status status--warn" data-testid="locks-privilege">
          {view.privilegeGap}
        </p>
      )}
      {migration ? (
        <>
          <p className={view.alert ? 'status status--bad' : 'status'} data-testid="locks-migration">
            Migration running (pid {migration.session.pid}, {migration.session.application || 'no name'}):{' '}
            {view.blocked.length} session{view.blocked.length === 1 ? '' : 's'} waiting behind it
            {view.longestWaitSeconds !== null ? `, longest ${seconds(view.longestWaitSeconds)}` : ''}.
            {view.alert ? ` ${view.alert.charAt(0).toUpperCase()}${view.alert.slice(1)}.` : ''}
          </p>
          {!compact && (
            <>
              <p className="small">
                Statement (running {seconds(migration.session.querySeconds)}, transaction open{' '}
                {seconds(migration.session.transactionSeconds)}
                {migration.session.waitingSeconds !== null
                  ? `, itself waiting ${seconds(migration.session.waitingSeconds)} for a lock`
                  : ''}
                ): <code data-testid="locks-statement">{migration.session.query ?? 'hidden'}</code>
              </p>
              <p className="small muted">
                Holds:{' '}
                {migration.session.locks
                  .filter((l) => l.granted)
                  .map((l) => `${l.table} ${modeName(l.mode)}`)
                  .join(', ') || 'no table locks yet'}
              </p>
              {view.blocked.length > 0 && <SessionTable sessions={view.blocked} wait />}
            </>
          )}
          {migration.timeouts.lockTimeout === null && (
            <p className="status status--warn small" data-testid="locks-guidance">
              No lock_timeout seen on the migration’s session ({migration.timeouts.source}).{' '}
              {lockTimeoutAdvice}
            </p>
          )}
        </>
      ) : view.noGo.length > 0 ? (
        <ul className="status status--bad" data-testid="locks-no-go">
          {view.noGo.map((reason) => (
            <li key={reason}>NO-GO: {reason}</li>
          ))}
        </ul>
      ) : (
        <p className="status status--ok" data-testid="locks-clear">
          {view.tables.length === 0
            ? 'No release to migrate: nothing to wait for.'
            : `No transaction holds a lock the migration needs on ${view.tables.map((t) => t.table).join(', ')}.`}
        </p>
      )}
      {!migration && !compact && view.blockers.length > 0 && (
        <SessionTable sessions={view.blockers.map((b) => b.session)} />
      )}
    </div>
  );
}

/** After the migration: per table, what it held and for how long, measured. */
export function MeasuredLocks({ figures }: { figures: MigrationLockMeasurement }) {
  return (
    <div data-testid="locks-measured">
      {figures.oneTransaction && (
        <p className="small">The migration ran as one transaction: the whole time is one lock window.</p>
      )}
      <table className="table small">
        <thead>
          <tr>
            <th>Table</th>
            <th>Lock held</th>
            <th>Longest block caused</th>
            <th>Sessions waited</th>
          </tr>
        </thead>
        <tbody>
          {figures.tables.map((t) => (
            <tr key={t.table}>
              <td>{t.table}</td>
              <td>{t.modes.map((m) => `${modeName(m.mode)} ${m.seconds} s`).join(', ') || '—'}</td>
              <td>{t.longestBlockSeconds} s</td>
              <td>{t.sessionsWaited}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Measured every {figures.pollIntervalMs / 1000} s: each figure is within one poll.
      </p>
      {figures.timeouts?.lockTimeout === null && <p className="small warn">{lockTimeoutAdvice}</p>}
    </div>
  );
}

/** The locks panel: live from the SSE stream, its age like every source; the measured table once over. */
export function LocksPanel({ deployId, compact = false }: { deployId?: string; compact?: boolean }) {
  const locks = useQuery(databaseLocksQuery());
  const measured = useQuery({ ...measuredLocksQuery(deployId ?? ''), enabled: deployId !== undefined });
  if (!locks.data) return null;
  const clockSkewMs = Date.parse(locks.data.serverTime) - locks.dataUpdatedAt;
  return (
    <SourceCard
      title="Database locks"
      testId={compact ? 'card-locks-compact' : 'card-locks'}
      state={locks.data.locks}
      clockSkewMs={clockSkewMs}
    >
      {(view) => (
        <>
          {measured.data && !view.migration ? (
            <MeasuredLocks figures={measured.data} />
          ) : (
            <LockViewBody view={view} compact={compact} />
          )}
        </>
      )}
    </SourceCard>
  );
}
