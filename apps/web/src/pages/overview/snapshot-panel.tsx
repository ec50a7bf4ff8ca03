import type { RdsStatus } from '@flightdeck/contracts';
import { formatAge } from '../../format';

export function SnapshotPanel({ rds, now }: { rds: RdsStatus; now: number }) {
  const snap = rds.latestManualSnapshot ?? rds.latestSnapshot;
  return (
    <div>
      {rds.instance ? (
        <p className="muted small" data-testid="rds-instance">
          {rds.instance.id} · {rds.instance.engine} {rds.instance.engineVersion} ·{' '}
          {rds.instance.allocatedStorageGb} GB ·{' '}
          <span className={rds.instance.status === 'available' ? 'ok' : 'warn'}>{rds.instance.status}</span>
        </p>
      ) : (
        <p className="status status--bad">Database instance not found</p>
      )}
      {snap ? (
        <dl className="facts">
          <dt>Latest {snap.type} snapshot</dt>
          <dd>
            <code data-testid="snapshot-id">{snap.id}</code>
          </dd>
          <dt>Status</dt>
          <dd data-testid="snapshot-status" className={snap.status === 'available' ? 'ok' : 'warn'}>
            {snap.status}
            {snap.status !== 'available' && snap.progressPercent !== null
              ? ` (${snap.progressPercent}%)`
              : ''}
          </dd>
          <dt>Age</dt>
          <dd data-testid="snapshot-age">
            {snap.createdAt ? `${formatAge(now - Date.parse(snap.createdAt))}` : '—'}
          </dd>
          <dt>Size</dt>
          <dd>{snap.sizeGb !== null ? `${snap.sizeGb} GB` : '—'}</dd>
        </dl>
      ) : (
        <p className="status status--warn">
          No snapshot of this instance: a restore has nothing to start from.
        </p>
      )}
      <p className="muted small">{rds.snapshotCount} snapshots in all</p>
    </div>
  );
}
