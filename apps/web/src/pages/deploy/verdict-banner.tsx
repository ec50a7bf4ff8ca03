import type { DeployVerdict } from '@flightdeck/contracts';

/** GO or NO-GO, first thing on the page, with every reason that holds it back. */
export function VerdictBanner({ verdict }: { verdict: DeployVerdict }) {
  const go = verdict.verdict === 'GO';
  return (
    <section
      className={`card verdict verdict--${go ? 'go' : 'no-go'}`}
      aria-label="Verdict"
      data-testid="deploy-verdict"
    >
      <p className="verdict__word" data-testid="verdict-word">
        {verdict.verdict}
      </p>
      {go ? (
        <p className="verdict__summary">Every item passes or is signed off.</p>
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
