import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import type { Deploy, DeployVerdict } from '@flightdeck/contracts';
import { deploysQuery, isActiveDeploy } from '../../api/deploys';
import { useSession } from '../../api/session';
import { PrepareDeploy } from './prepare-deploy';

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
const phaseTone: Record<Deploy['phase'], string> = {
  preparing: '',
  ready: '',
  migrating: 'tag--warn',
  verifying: 'tag--warn',
  monitoring: '',
  done: 'tag--ok',
  cancelled: '',
  'rolled-back': 'tag--bad',
};

/** Every deploy of the environment: its release, phase, verdict, who prepared it, when, how it ended. */
export function DeployListPage() {
  const navigate = useNavigate();
  const role = useSession().data?.user?.role ?? null;
  const deploys = useQuery(deploysQuery());
  if (deploys.isError)
    return (
      <p className="status status--bad" role="alert">
        Deploys could not be loaded: {deploys.error.message}
      </p>
    );
  if (!deploys.data) return <p className="muted">Loading…</p>;
  const { deploys: list, verdicts } = deploys.data;
  const active = list.find(isActiveDeploy) ?? null;
  return (
    <div className="deploy-page">
      <PrepareDeploy
        role={role}
        active={active}
        onPrepared={(d) => void navigate(`/deploys/${encodeURIComponent(d.id)}`)}
      />
      <section className="card" aria-label="Deploys">
        <header className="card__header">
          <h2>Deploys</h2>
          <span className="card__freshness">newest first</span>
        </header>
        {list.length === 0 ? (
          <p className="muted">No deploy yet. Ops prepare one before the release goes out.</p>
        ) : (
          <table className="table" data-testid="deploy-list">
            <thead>
              <tr>
                <th>Release</th>
                <th>Deploy</th>
                <th>Phase</th>
                <th>Verdict</th>
                <th>Prepared</th>
                <th>How it ended</th>
              </tr>
            </thead>
            <tbody>
              {list.map((d) => (
                <DeployRow key={d.id} deploy={d} verdict={verdicts[d.id] ?? null} />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function DeployRow({ deploy, verdict }: { deploy: Deploy; verdict: DeployVerdict | null }) {
  const release = deploy.release;
  return (
    <tr data-testid={`deploy-row-${deploy.id}`}>
      <td data-testid="deploy-release">
        <strong>{release?.name ?? '—'}</strong>
        {release?.commit && <span className="mono small"> {release.commit}</span>}
      </td>
      <td>
        <Link to={`/deploys/${encodeURIComponent(deploy.id)}`} className="mono">
          {deploy.id}
        </Link>
      </td>
      <td>
        <span className={`tag ${phaseTone[deploy.phase]}`} data-testid="deploy-row-phase">
          {deploy.phase}
        </span>
      </td>
      <td className="small" data-testid="deploy-row-verdict">
        {verdict ? `${verdict.question} ${verdict.verdict}` : ''}
      </td>
      <td className="small">
        {deploy.preparedBy}, {utc(deploy.preparedAt)}
      </td>
      <td className="small" data-testid="deploy-row-ending">
        {deploy.ending ? `${deploy.ending.message} (${utc(deploy.ending.at)})` : 'not yet'}
      </td>
    </tr>
  );
}
