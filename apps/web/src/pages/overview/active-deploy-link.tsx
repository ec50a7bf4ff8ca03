import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Deploy, DeployEvent } from '@flightdeck/contracts';
import { deployDetailQuery, deploysQuery, isActiveDeploy } from '../../api/deploys';

/** The record's events the banner names (what happened lately), in words. */
const recordWords: Record<string, string> = {
  'rollback-started': 'Rollback started',
  'rollback-refused': 'Rollback refused',
  'rollback-verifying': 'Rollback applied, verifying',
  'rollback-finished': 'Rollback finished',
  'rollback-failed': 'Rollback failed',
  'rollback-restored': 'Restore done, cut-over pending',
  'phase-rolled-back': 'Deploy rolled back',
  'errors-started': 'Errors started',
  'errors-stopped': 'Errors stopped',
  'verdict-changed': 'Verdict changed',
  'alias-changed': 'Alias changed',
};

/** The deploy the banner is about: the active one, or the newest if a rollback ended it. */
const bannerDeploy = (deploys: Deploy[]) =>
  deploys.find(isActiveDeploy) ?? deploys.find((d, i) => i === 0 && d.phase === 'rolled-back');

/**
 * A deploy in progress is what everyone opens Flightdeck for: its current verdict, coloured by it,
 * with the reasons that hold it back, what happened lately (errors, rollbacks, alias changes), and
 * the link to its checklist.
 */
export function ActiveDeployLink() {
  const deploys = useQuery(deploysQuery(10_000));
  const deploy = deploys.data ? bannerDeploy(deploys.data.deploys) : undefined;
  const detail = useQuery(deployDetailQuery(deploy?.id ?? null));
  if (!deploy) return null;
  const verdict = detail.data?.verdict;
  const rolledBack = deploy.phase === 'rolled-back';
  const tone = rolledBack
    ? 'rolled-back'
    : verdict?.verdict === 'GO'
      ? 'go'
      : verdict?.verdict === 'NO-GO'
        ? 'no-go'
        : 'pending';
  // Newest first by when it happened (an error episode is written down once its minute is whole).
  const lately = (detail.data?.timeline ?? [])
    .filter((e: DeployEvent) => e.kind in recordWords)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .slice(-5)
    .reverse();
  return (
    <section
      className={`card active-deploy active-deploy--${tone}`}
      aria-label="Active deploy"
      data-testid="active-deploy"
      data-tone={tone}
    >
      <p className="active-deploy__headline">
        Deploy <span className="mono">{deploy.id}</span>{' '}
        {rolledBack ? (
          <>
            was <span className="tag tag--bad">rolled back</span>
            {deploy.ending ? ` (${deploy.ending.message})` : ''}.
          </>
        ) : (
          <>
            is <span className="tag">{deploy.phase}</span> (prepared by {deploy.preparedBy}).
          </>
        )}{' '}
        <Link to={`/deploys/${encodeURIComponent(deploy.id)}`} data-testid="active-deploy-link">
          Open its checklist and verdict →
        </Link>
      </p>
      {verdict && !rolledBack && (
        <div className="active-deploy__verdict">
          <strong data-testid="banner-verdict">
            {verdict.question} {verdict.verdict}
          </strong>
          {verdict.verdict === 'NO-GO' && verdict.reasons.length > 0 && (
            <ul className="active-deploy__reasons" data-testid="banner-reasons">
              {verdict.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {lately.length > 0 && (
        <div className="active-deploy__record">
          <span className="small muted">Lately:</span>
          <ul data-testid="banner-record">
            {lately.map((e, i) => (
              <li key={`${e.at}-${i}`} data-kind={e.kind}>
                <time dateTime={e.at}>{e.at.slice(11, 16)} UTC</time> <strong>{recordWords[e.kind]}</strong>:{' '}
                {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
