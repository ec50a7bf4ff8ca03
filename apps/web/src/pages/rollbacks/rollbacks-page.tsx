import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { RollbackJob, RollbackPlan } from '@flightdeck/contracts';
import {
  rollbackJobQuery,
  rollbacksOverviewQuery,
  useRollbackActions,
  type RollbackTargetRef,
} from '../../api/rollbacks';
import { useSession } from '../../api/session';
import { PlanView } from './plan-view';
import { JobView } from './job-view';

/** Rollbacks to the deploy's baseline: preview the exact plan, type the target to confirm, follow the job. */
export function RollbacksPage() {
  const overview = useQuery(rollbacksOverviewQuery());
  const role = useSession().data?.user?.role;
  const canRollBack = role === 'ops';
  const [selected, setSelected] = useState<RollbackTargetRef | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
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
        <table className="table">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Target</th>
              <th>Baseline</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.targets.map((t) => (
              <tr key={`${t.kind}:${t.target}`}>
                <td>
                  {t.kind === 'lambda' ? 'Lambda alias' : t.kind === 'rds' ? 'RDS restore' : 'Frontend'}
                </td>
                <td>{t.target}</td>
                <td>{t.label}</td>
                <td>
                  {canRollBack && (
                    <button
                      type="button"
                      data-testid={`rollback-${t.kind}-${t.target}`}
                      onClick={() => {
                        setJobId(null);
                        setSelected({ deployId: data.deploy!.id, kind: t.kind, target: t.target });
                      }}
                    >
                      Roll back…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {selected && canRollBack && !jobId && (
        <ConfirmRollback key={`${selected.kind}:${selected.target}`} target={selected} onStarted={setJobId} />
      )}
      {jobId && <FollowJob id={jobId} />}
      <RecentJobs jobs={data.jobs} onOpen={setJobId} />
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
                disabled={typed !== plan.confirmationText || actions.start.isPending}
              >
                Roll back now
              </button>
              {actions.start.isError && (
                <p className="status status--bad" role="alert" data-testid="rollback-error">
                  {actions.start.error.message}
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

function RecentJobs({ jobs, onOpen }: { jobs: RollbackJob[]; onOpen: (id: string) => void }) {
  if (jobs.length === 0) return null;
  return (
    <section className="card" aria-label="Recent rollbacks">
      <header className="card__header">
        <h2>Recent rollbacks</h2>
      </header>
      <ul className="plain">
        {jobs.map((j) => (
          <li key={j.id}>
            <button type="button" className="link" onClick={() => onOpen(j.id)}>
              {j.kind} {j.target}: {j.plan.desired}
            </button>{' '}
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
