import type { RollbackJob } from '@flightdeck/contracts';
import { useMarkCutOver } from '../../api/rollbacks';
import { useSession } from '../../api/session';

const stepMark = { pending: '○', running: '◔', done: '●', failed: '✕' } as const;

/** A rollback job as it runs: steps with their progress, then the verification. */
export function JobView({ job }: { job: RollbackJob }) {
  const tone = job.state === 'succeeded' ? 'ok' : job.state === 'failed' ? 'bad' : 'warn';
  const stateText = job.state === 'cut-over-pending' ? 'restored — cut-over pending' : job.state;
  return (
    <section className="card" aria-label="Rollback progress" data-testid="rollback-job">
      <header className="card__header">
        <h2>
          Rollback of {job.target}:{' '}
          <span className={`status status--${tone}`} data-testid="job-state">
            {stateText}
          </span>
        </h2>
        <span className="card__freshness">job {job.id}</span>
      </header>
      {job.state === 'verifying' && (
        <p className="small muted" data-testid="job-verifying-note">
          The change is made; the job succeeds once a whole minute of traffic after it shows the error rate
          fell (or fails if it did not).
        </p>
      )}
      <ol className="steps" data-testid="job-steps">
        {job.steps.map((step) => (
          <li key={step.name} className={`step step--${step.state}`}>
            {stepMark[step.state]} {step.name}
            {step.detail && <span className="muted small"> — {step.detail}</span>}
          </li>
        ))}
      </ol>
      {job.error && (
        <p className="status status--bad" role="alert">
          {job.error}
        </p>
      )}
      {job.verification.length > 0 && (
        <>
          <h3>Verification</h3>
          <ul className="plain" data-testid="job-verification">
            {job.verification.map((v) => (
              <li
                key={v.check}
                className={`status status--${v.pending ? 'warn' : v.ok ? 'ok' : 'bad'}`}
                data-testid={`verification-${v.check.replace(' ', '-')}`}
              >
                {v.pending ? '…' : v.ok ? '✓' : '✕'} {v.detail}
              </li>
            ))}
          </ul>
        </>
      )}
      {job.output && job.output.length > 0 && (
        <>
          <h3>Output</h3>
          <pre className="plan__call" data-testid="job-output">
            {job.output.join('\n')}
          </pre>
        </>
      )}
      {job.cutOver.length > 0 && (
        <>
          <h3>Cut-over, for the operator</h3>
          {job.state === 'cut-over-pending' && (
            <p className="status status--warn" data-testid="cut-over-pending">
              The application still uses {job.target}: the rollback is done once it uses the restored
              instance. Do these steps, then mark the cut-over done.
            </p>
          )}
          <ol data-testid="cut-over-steps">
            {job.cutOver.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ol>
          {job.state === 'cut-over-pending' && <MarkCutOver jobId={job.id} />}
        </>
      )}
    </section>
  );
}

function MarkCutOver({ jobId }: { jobId: string }) {
  const isOps = useSession().data?.user?.role === 'ops';
  const mark = useMarkCutOver();
  if (!isOps) return <p className="muted small">Ops mark the cut-over done.</p>;
  return (
    <p>
      <button
        type="button"
        className="danger"
        disabled={mark.isPending}
        onClick={() => mark.mutate(jobId)}
        data-testid="mark-cut-over"
      >
        The application uses the restored instance: mark the cut-over done
      </button>
      {mark.isError && <span className="bad small"> {mark.error.message}</span>}
    </p>
  );
}
