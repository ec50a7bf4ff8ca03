import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { deployDetailQuery, deploysQuery, isActiveDeploy } from '../../api/deploys';
import { useOverview } from '../../api/overview';
import { useSession } from '../../api/session';
import { ChecklistView } from './checklist-view';
import { DeploySummary } from './deploy-summary';
import { DeployTimeline } from './deploy-timeline';
import { PrepareDeploy } from './prepare-deploy';
import { SnapshotProgress } from './snapshot-progress';
import { VerdictBanner } from './verdict-banner';

/** A deploy's readiness: the verdict, the checklist with its evidence, sign-offs, the snapshot, the timeline, the report. */
export function DeployPage() {
  const params = useParams();
  const navigate = useNavigate();
  const session = useSession().data;
  const role = session?.user?.role ?? null;
  const deploys = useQuery(deploysQuery());
  const list = deploys.data?.deploys ?? [];
  const active = list.find(isActiveDeploy) ?? null;
  // Without an id in the address: the active deploy, else the latest.
  const id = params.id ?? active?.id ?? list[0]?.id ?? null;
  const detail = useQuery(deployDetailQuery(id));
  const rds = useOverview().data?.sources.rds.data ?? null;

  if (deploys.isError)
    return (
      <p className="status status--bad" role="alert">
        Deploys could not be loaded: {deploys.error.message}
      </p>
    );
  if (!deploys.data) return <p className="muted">Loading…</p>;

  const data = detail.data;
  const canSignOff = role === 'lead' || role === 'ops';
  return (
    <div className="deploy-page">
      <div className="toolbar">
        <PrepareDeploy
          role={role}
          active={active}
          onPrepared={(d) => void navigate(`/deploys/${encodeURIComponent(d.id)}`)}
        />
        {list.length > 1 && (
          <span className="small">
            Other deploys:{' '}
            {list
              .filter((d) => d.id !== id)
              .slice(0, 5)
              .map((d) => (
                <Link key={d.id} to={`/deploys/${encodeURIComponent(d.id)}`} className="mono">
                  {d.id}
                </Link>
              ))}
          </span>
        )}
      </div>
      {id === null && <p className="muted">No deploy yet. Ops prepare one before the migration.</p>}
      {detail.isError && (
        <p className="status status--bad" role="alert">
          Deploy {id} could not be loaded: {detail.error.message}
        </p>
      )}
      {data && (
        <>
          <VerdictBanner verdict={data.verdict} />
          <DeploySummary deploy={data.deploy} />
          <SnapshotProgress deploy={data.deploy} rds={rds} />
          {canSignOff && session?.user?.email === data.deploy.preparedBy && (
            <p className="muted small" data-testid="preparer-note">
              You prepared this deploy: another lead signs off its items.
            </p>
          )}
          <ChecklistView deployId={data.deploy.id} items={data.checklist} canSignOff={canSignOff} />
          <DeployTimeline events={data.timeline} />
        </>
      )}
    </div>
  );
}
