import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { deployDetailQuery, hasEnded } from '../../api/deploys';
import { useOverview } from '../../api/overview';
import { useSession } from '../../api/session';
import { LocksPanel } from '../../components/locks-panel';
import { ChecklistView } from './checklist-view';
import { DeployActions } from './deploy-actions';
import { DeploySummary } from './deploy-summary';
import { DeployTimeline } from './deploy-timeline';
import { SnapshotProgress } from './snapshot-progress';
import { GateVerdicts, VerdictBanner } from './verdict-banner';

/**
 * One deploy: the current gate's verdict and the three gates, what is released, the actions its
 * phase allows by role, the snapshot, the checklist with its evidence and sign-offs, the timeline,
 * the report. A deploy that has ended is shown as it was, read-only.
 */
export function DeployPage() {
  const { id = null } = useParams();
  const session = useSession().data;
  const role = session?.user?.role ?? null;
  const detail = useQuery(deployDetailQuery(id));
  const rds = useOverview().data?.sources.rds.data ?? null;

  const data = detail.data;
  const ended = data ? hasEnded(data.deploy) : false;
  const canSignOff = (role === 'lead' || role === 'ops') && !ended;
  return (
    <div className="deploy-page">
      <p className="small">
        <Link to="/deploys">← all deploys</Link>
      </p>
      {detail.isError && (
        <p className="status status--bad" role="alert">
          Deploy {id} could not be loaded: {detail.error.message}
        </p>
      )}
      {!data && !detail.isError && <p className="muted">Loading…</p>}
      {data && (
        <>
          {ended && (
            <p className="status" data-testid="read-only-note">
              This deploy has ended ({data.deploy.phase}): it is shown as it was, read-only.
            </p>
          )}
          <VerdictBanner verdict={data.verdict} />
          <GateVerdicts verdicts={data.verdicts} current={data.verdict.gate} />
          <DeploySummary deploy={data.deploy} />
          <DeployActions detail={data} role={role} />
          {!ended && <SnapshotProgress deploy={data.deploy} rds={rds} />}
          {(!ended || data.deploy.migrationStartedAt) && <LocksPanel deployId={data.deploy.id} />}
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
