import type { Deploy } from '@flightdeck/contracts';
import { ReportLinks } from './report-links';

const utc = (iso: string) => `${iso.slice(0, 19).replace('T', ' ')} UTC`;

/** What is released, which deploy, its phase, how it ended, and the baseline it started from (what a rollback returns to). */
export function DeploySummary({ deploy }: { deploy: Deploy }) {
  const { baseline, release } = deploy;
  return (
    <section className="card" aria-label="Deploy" data-testid="deploy-summary">
      <header className="card__header">
        <h2>
          <span data-testid="release-name">{release?.name ?? 'Deploy'}</span>{' '}
          <span className="mono small">{deploy.id}</span>{' '}
          <span className="tag" data-testid="deploy-phase">
            {deploy.phase}
          </span>
        </h2>
        <span className="card__freshness">{deploy.environment}</span>
      </header>
      <dl className="facts">
        {release?.commit && (
          <>
            <dt>Commit</dt>
            <dd className="mono" data-testid="release-commit">
              {release.commit}
            </dd>
          </>
        )}
        {release?.url && (
          <>
            <dt>Link</dt>
            <dd>
              {/^https?:\/\//.test(release.url) ? (
                <a href={release.url} rel="noreferrer noopener" target="_blank" data-testid="release-url">
                  {release.url}
                </a>
              ) : (
                <span data-testid="release-url">{release.url}</span>
              )}
            </dd>
          </>
        )}
        {release?.notes && (
          <>
            <dt>Notes</dt>
            <dd data-testid="release-notes">{release.notes}</dd>
          </>
        )}
        <dt>Prepared</dt>
        <dd>
          by {deploy.preparedBy} at {utc(deploy.preparedAt)}
        </dd>
        {deploy.ending && (
          <>
            <dt>Ended</dt>
            <dd data-testid="deploy-ending">
              {deploy.ending.message} ({utc(deploy.ending.at)})
            </dd>
          </>
        )}
        <dt>Database</dt>
        <dd className="mono">
          {baseline.databaseRevision ?? 'no revision'} → {deploy.targetRevision ?? '?'} (
          {deploy.pendingAtPrepare.length === 0
            ? 'no migrations'
            : `${deploy.pendingAtPrepare.length} to apply`}
          )
        </dd>
        <dt>Migrated</dt>
        <dd>
          {deploy.migratedAt
            ? utc(deploy.migratedAt)
            : deploy.pendingAtPrepare.length === 0
              ? 'nothing to migrate'
              : 'not yet'}
        </dd>
        <dt>Watch</dt>
        <dd>{deploy.watchStartedAt ? `from ${utc(deploy.watchStartedAt)}` : 'not started'}</dd>
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
