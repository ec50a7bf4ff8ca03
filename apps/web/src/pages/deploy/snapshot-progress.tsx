import type { Deploy, RdsStatus } from '@flightdeck/contracts';

/**
 * The pre-migration snapshot as RDS reports it: creating with its percentage, then available.
 * Read from the live RDS source, which refreshes on its own, not from the checklist's last evaluation.
 */
export function SnapshotProgress({ deploy, rds }: { deploy: Deploy; rds: RdsStatus | null }) {
  const wanted = deploy.baseline.snapshot;
  if (!wanted) return null;
  const live = rds?.latestManualSnapshot?.id === wanted.identifier ? rds.latestManualSnapshot : null;
  const percent = live?.status === 'available' ? 100 : (live?.progressPercent ?? 0);
  return (
    <section className="card" aria-label="Pre-migration snapshot" data-testid="deploy-snapshot">
      <header className="card__header">
        <h2>Pre-migration snapshot</h2>
        <span className="card__freshness mono">{wanted.identifier}</span>
      </header>
      {live ? (
        <>
          <p className="snapshot-state">
            <span
              className={`status status--${live.status === 'available' ? 'ok' : 'warn'}`}
              data-testid="snapshot-status"
            >
              {live.status}
            </span>{' '}
            <span data-testid="snapshot-percent">{percent} %</span>
          </p>
          <progress className="snapshot-bar" max={100} value={percent} aria-label="Snapshot progress" />
        </>
      ) : (
        <p className="muted" data-testid="snapshot-status">
          Not seen in RDS yet (the RDS source refreshes every few seconds).
        </p>
      )}
    </section>
  );
}
