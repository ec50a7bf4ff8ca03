import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { RollbackJob, RollbackPlan, RollbacksOverview } from '@flightdeck/contracts';
import {
  rollbackJobQuery,
  rollbacksOverviewQuery,
  useRollbackActions,
  type RollbackTargetRef,
} from '../../api/rollbacks';
import { useSession } from '../../api/session';
import { PlanView } from './plan-view';
import { JobView } from './job-view';

/**
 * Rollbacks: pick the target (for an alias, any published version; by default the newest one older
 * than the live one), preview the exact plan, type the target to confirm, follow the job at its
 * own address (`/rollbacks/<job>`), which a reload or a colleague opens too.
 */
export function RollbacksPage() {
  const overview = useQuery(rollbacksOverviewQuery());
  const role = useSession().data?.user?.role;
  const canRollBack = role === 'ops';
  const [selected, setSelected] = useState<RollbackTargetRef | null>(null);
  const jobId = useParams().jobId ?? null;
  const navigate = useNavigate();
  const openJob = (id: string) => void navigate(`/rollbacks/${id}`);
  const data = overview.data;

  if (overview.isError)
    return (
      <p className="status status--bad" role="alert">
        Rollbacks could not be loaded: {overview.error.message}
      </p>
    );
  if (!data) return <p className="muted">Loading…</p>;
  if (!data.deploy) return <p className="muted">No deploy yet: rollbacks target a deploy's baseline.</p>;

  return (
    <div className="rollbacks">
      <section className="card" aria-label="Rollback targets" data-testid="rollback-targets">
        <header className="card__header">
          <h2>Roll back deploy {data.deploy.id}</h2>
          <span className="card__freshness">{data.deploy.environment}</span>
        </header>
        {!canRollBack && (
          <p className="muted small" data-testid="rollback-disabled-reason">
            Only ops can roll back; you are {role ?? 'not signed in'}.
          </p>
        )}
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>Kind</th>
                <th>Target</th>
                <th>Live</th>
                <th>Roll back to</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.targets.map((t) => (
                <TargetRow
                  // A new live version (after a rollback or a release) resets the choice to its default.
                  key={`${t.kind}:${t.target}:${t.lambda?.liveVersion ?? ''}`}
                  target={t}
                  canRollBack={canRollBack}
                  onChoose={(version) => {
                    void navigate('/rollbacks');
                    setSelected({
                      deployId: data.deploy!.id,
                      kind: t.kind,
                      target: t.target,
                      ...(version ? { version } : {}),
                    });
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {selected && canRollBack && !jobId && (
        <ConfirmRollback
          key={`${selected.kind}:${selected.target}:${selected.version ?? ''}`}
          target={selected}
          onStarted={openJob}
        />
      )}
      {jobId && <FollowJob id={jobId} />}
      <RecentJobs jobs={data.jobs} />
    </div>
  );
}

function ConfirmRollback({
  target,
  onStarted,
}: {
  target: RollbackTargetRef;
  onStarted: (id: string) => void;
}) {
  const actions = useRollbackActions();
  const [typed, setTyped] = useState('');
  const [plan, setPlan] = useState<RollbackPlan | null>(null);
  const preview = actions.preview;
  const { mutate } = preview;
  useEffect(() => mutate(target, { onSuccess: setPlan }), [mutate, target]);
  return (
    <section className="card" aria-label="Rollback plan" data-testid="rollback-plan">
      <header className="card__header">
        <h2>Plan: roll back {target.target}</h2>
      </header>
      {preview.isPending && <p className="muted">Reading the current state…</p>}
      {preview.isError && (
        <p className="status status--bad" role="alert">
          {preview.error.message}
        </p>
      )}
      {plan && (
        <>
          <PlanView plan={plan} />
          {plan.blocked ? (
            <p className="status status--warn" data-testid="rollback-blocked">
              {plan.blocked}
            </p>
          ) : (
            <form
              className="confirm"
              onSubmit={(event) => {
                event.preventDefault();
                actions.start.mutate(
                  {
                    ...target,
                    confirmation: typed,
                    ...(plan.revisionId ? { expectedRevisionId: plan.revisionId } : {}),
                    ...(plan.currentVersion ? { expectedVersion: plan.currentVersion } : {}),
                  },
                  { onSuccess: (job) => onStarted(job.id) },
                );
              }}
            >
              <label>
                Type <code>{plan.confirmationText}</code> to confirm{' '}
                <input
                  data-testid="rollback-confirmation"
                  value={typed}
                  onChange={(e) => setTyped(e.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                />
              </label>{' '}
              <button
                type="submit"
                className="danger"
                data-testid="rollback-confirm"
                disabled={typed !== plan.confirmationText || actions.start.isPending || actions.start.isError}
              >
                Roll back now
              </button>
              {actions.start.isError && (
                <p className="status status--bad" role="alert" data-testid="rollback-error">
                  {actions.start.error.message}{' '}
                  {/* Refused (the alias moved, another rollback runs): this plan is stale. */}
                  <button
                    type="button"
                    data-testid="rollback-preview-again"
                    onClick={() => {
                      actions.start.reset();
                      setPlan(null);
                      setTyped('');
                      mutate(target, { onSuccess: setPlan });
                    }}
                  >
                    Preview again
                  </button>
                </p>
              )}
            </form>
          )}
        </>
      )}
    </section>
  );
}

function FollowJob({ id }: { id: string }) {
  const job = useQuery(rollbackJobQuery(id));
  if (job.isError)
    return (
      <p className="status status--bad" role="alert">
        {job.error.message}
      </p>
    );
  if (!job.data) return <p className="muted">Loading the job…</p>;
  return <JobView job={job.data} />;
}

type TargetView = RollbacksOverview['targets'][number];

/** One target: for an alias, where it points now and the published version to go back to. */
function TargetRow({
  target,
  canRollBack,
  onChoose,
}: {
  target: TargetView;
  canRollBack: boolean;
  onChoose: (version: string | undefined) => void;
}) {
  const lambda = target.lambda;
  const [version, setVersion] = useState(lambda?.defaultVersion ?? lambda?.baselineVersion ?? '');
  const isLive = lambda !== undefined && version === lambda.liveVersion;
  return (
    <tr data-testid={`target-${target.kind}-${target.target}`}>
      <td>
        {target.kind === 'lambda' ? 'Lambda alias' : target.kind === 'rds' ? 'RDS restore' : 'Frontend'}
      </td>
      <td className="mono">{target.target}</td>
      <td data-testid="target-live">{lambda ? `${lambda.alias} -> ${lambda.liveVersion ?? '?'}` : '—'}</td>
      <td>
        {lambda ? (
          <select
            value={version}
            onChange={(e) => setVersion(e.target.value)}
            data-testid="target-version"
            aria-label={`Version to roll ${target.target} back to`}
          >
            {(lambda.versions.length > 0
              ? lambda.versions
              : [{ version: lambda.baselineVersion, lastModified: null, description: null }]
            ).map((v) => (
              <option key={v.version} value={v.version}>
                {`v${v.version}`}
                {v.version === lambda.liveVersion ? ' (live)' : ''}
                {v.version === lambda.baselineVersion ? ' (baseline)' : ''}
                {v.version === lambda.defaultVersion ? ' (previous)' : ''}
                {v.lastModified ? ` · ${v.lastModified.slice(0, 10)}` : ''}
                {v.description ? ` · ${v.description}` : ''}
              </option>
            ))}
          </select>
        ) : (
          target.label
        )}
      </td>
      <td>
        {canRollBack && (
          <button
            type="button"
            data-testid={`rollback-${target.kind}-${target.target}`}
            disabled={isLive}
            title={isLive ? 'This is the live version: nothing to roll back to' : undefined}
            onClick={() => onChoose(lambda ? version : undefined)}
          >
            Roll back…
          </button>
        )}
        {isLive && <span className="muted small"> live version</span>}
      </td>
    </tr>
  );
}

function RecentJobs({ jobs }: { jobs: RollbackJob[] }) {
  if (jobs.length === 0) return null;
  return (
    <section className="card" aria-label="Recent rollbacks">
      <header className="card__header">
        <h2>Recent rollbacks</h2>
      </header>
      <ul className="plain">
        {jobs.map((j) => (
          <li key={j.id}>
            <Link to={`/rollbacks/${j.id}`} data-testid="recent-job">
              {j.kind} {j.target}: {j.plan.desired}
            </Link>{' '}
            <span
              className={`status status--${j.state === 'succeeded' ? 'ok' : j.state === 'failed' ? 'bad' : 'warn'}`}
            >
              {j.state}
            </span>{' '}
            <span className="muted small">
              by {j.requestedBy} at {j.requestedAt.slice(0, 19).replace('T', ' ')} UTC
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
