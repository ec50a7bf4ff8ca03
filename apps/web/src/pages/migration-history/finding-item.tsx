import type { MigrationFinding } from '@flightdeck/contracts';

/** One finding: what and where at a glance; why it matters and what to do instead on expanding. */
export function FindingItem({ finding }: { finding: MigrationFinding }) {
  const where = [
    finding.table ? `table ${finding.table}` : null,
    finding.lock ?? null,
    finding.file ? `${finding.file}${finding.line ? `:${finding.line}` : ''}` : null,
  ].filter((part): part is string => part !== null);
  const hasMore = Boolean(
    finding.explanation || finding.safeAlternative || finding.statement || finding.suppressed,
  );
  const headline = (
    <>
      {finding.suppressed && (
        <span className="severity severity--suppressed" data-testid="finding-suppressed">
          suppressed
        </span>
      )}{' '}
      <span className={`severity severity--${finding.severity}`}>{finding.severity}</span>{' '}
      <code className="finding__rule">{finding.ruleId}</code>
      {where.length > 0 && <span className="muted small"> {where.join(' · ')}</span>}
      <span className="finding__message">{finding.message}</span>
    </>
  );
  return (
    <li
      className={`finding finding--${finding.suppressed ? 'suppressed' : finding.severity}`}
      data-testid="finding"
      data-rule={finding.ruleId}
      data-severity={finding.severity}
      data-suppressed={finding.suppressed ? 'true' : undefined}
    >
      {hasMore ? (
        <details>
          <summary>{headline}</summary>
          <div className="finding__more">
            {finding.suppressed && (
              <p data-testid="finding-suppression-reason">
                <strong>Suppressed in the script: </strong>
                {finding.suppressed.reason}
              </p>
            )}
            {finding.statement && <pre className="finding__statement">{finding.statement}</pre>}
            {finding.explanation && (
              <p>
                <strong>Why it matters: </strong>
                {finding.explanation}
              </p>
            )}
            {finding.safeAlternative && (
              <p data-testid="finding-safe-alternative">
                <strong>Instead: </strong>
                {finding.safeAlternative}
              </p>
            )}
          </div>
        </details>
      ) : (
        <div className="finding__plain">{headline}</div>
      )}
    </li>
  );
}

export function FindingList({ findings }: { findings: readonly MigrationFinding[] }) {
  return (
    <ul className="findings">
      {findings.map((finding, index) => (
        <FindingItem key={`${finding.ruleId}-${index}`} finding={finding} />
      ))}
    </ul>
  );
}
