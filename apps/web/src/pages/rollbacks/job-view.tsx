import type { RollbackJob } from '@flightdeck/contracts';

const stepMark = { pending: '○', running: '◔', done: '●', failed: '✕' } as const;

/** A rollback job as it runs: steps with their progress, then the verification. */
export function JobView({ job }: { job: RollbackJob }) {
  const tone = job.state === 'succeeded' ? 'ok' : job.state === 'failed' ? 'bad' : 'warn';
  return (
    <section className="card" aria-label="Rollback progress" data-testid="rollback-job">
      <header className="card__header">
        <h2>
          Rollback of {job.target}:{' '}
          <span className={`status status--${tone}`} data-testid="job-state">
            {job.state}
          </span>
        </h2>
        <span className="card__freshness">job {job.id}</span>
      </header>
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
          <ol>
            {job.cutOver.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
