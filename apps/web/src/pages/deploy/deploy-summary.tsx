import type { Deploy } from '@flightdeck/contracts';
import { ReportLinks } from './report-links';

const utc = (iso: string) => `${iso.slice(0, 19).replace('T', ' ')} UTC`;

/** Which deploy, its phase, and the baseline it started from (what a rollback returns to). */
export function DeploySummary({ deploy }: { deploy: Deploy }) {
  const { baseline } = deploy;
  return (
    <section className="card" aria-label="Deploy" data-testid="deploy-summary">
      <header className="card__header">
        <h2>
          Deploy <span className="mono">{deploy.id}</span>{' '}
          <span className="tag" data-testid="deploy-phase">
            {deploy.phase}
          </span>
        </h2>
        <span className="card__freshness">{deploy.environment}</span>
      </header>
      <dl className="facts">
        <dt>Prepared</dt>
        <dd>
          by {deploy.preparedBy} at {utc(deploy.preparedAt)}
        </dd>
        <dt>Database</dt>
        <dd className="mono">
          {baseline.databaseRevision ?? 'no revision'} → {baseline.codeHead ?? '?'} (
          {deploy.pendingAtPrepare.length} pending at prepare)
        </dd>
        <dt>Migrated</dt>
        <dd>{deploy.migratedAt ? utc(deploy.migratedAt) : 'not yet'}</dd>
        <dt>Lambda aliases</dt>
        <dd className="mono">
          {baseline.aliases.map((a) => `${a.functionName}:${a.alias} → ${a.version}`).join(', ')}
        </dd>
        <dt>Frontend</dt>
        <dd className="mono">{baseline.frontendRef ?? 'not configured'}</dd>
      </dl>
      <ReportLinks deployId={deploy.id} />
    </section>
  );
}
