import type { DeployVerdict, DeployVerdicts } from '@flightdeck/contracts';

/** The current gate's question and its answer, first thing on the page, with every reason that holds it back. */
export function VerdictBanner({ verdict }: { verdict: DeployVerdict }) {
  const tone = verdict.verdict === 'GO' ? 'go' : verdict.verdict === 'NO-GO' ? 'no-go' : 'pending';
  return (
    <section className={`card verdict verdict--${tone}`} aria-label="Verdict" data-testid="deploy-verdict">
      <p className="verdict__question" data-testid="verdict-question">
        {verdict.question}
      </p>
      <p className="verdict__word" data-testid="verdict-word">
        {verdict.verdict}
      </p>
      {verdict.verdict === 'GO' ? (
        <p className="verdict__summary">Every item of this gate passes or is signed off.</p>
      ) : verdict.verdict === 'pending' ? (
        <p className="verdict__summary">Not asked yet: its items’ phase has not begun.</p>
      ) : (
        <>
          <p className="verdict__summary">
            {verdict.reasons.length === 1 ? '1 item holds' : `${verdict.reasons.length} items hold`} the
            deploy back:
          </p>
          <ul className="verdict__reasons" data-testid="verdict-reasons">
            {verdict.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The three gates side by side: go for the migration, healthy, go to close. */
export function GateVerdicts({
  verdicts,
  current,
}: {
  verdicts: DeployVerdicts;
  current: DeployVerdict['gate'];
}) {
  return (
    <ol className="gates" aria-label="Gates" data-testid="gates">
      {(['migration', 'healthy', 'close'] as const).map((gate) => {
        const v = verdicts[gate];
        const tone = v.verdict === 'GO' ? 'ok' : v.verdict === 'NO-GO' ? 'bad' : 'muted';
        return (
          <li
            key={gate}
            className={`gates__gate${gate === current ? ' gates__gate--current' : ''}`}
            data-testid={`gate-${gate}`}
          >
            <span className="small">{v.question}</span>{' '}
            <strong className={tone} data-testid="gate-verdict">
              {v.verdict}
            </strong>
          </li>
        );
      })}
    </ol>
  );
}
