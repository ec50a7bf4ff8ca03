// `# flightdeck: ignore <rule-id> -- <reason>` (or `-- flightdeck: ignore …` in SQL), on the
// operation's line or the line above. A suppressed finding stays in every output, marked with
// its reason: a reviewer sees what was waived and why. Without a reason nothing is suppressed.
import type { MigrationFinding } from './finding.js';

export interface Suppression {
  /** 1-based line of the comment. */
  line: number;
  ruleIds: string[];
  /** Null when the comment gives none: then it suppresses nothing and is itself a finding. */
  reason: string | null;
}

const marker = /^(?:#|--)\s*flightdeck:\s*ignore\b\s*(.*)$/i;

/** Suppressions among comments (Python `#…` or SQL `--…`), each with its line. */
export function readSuppressions(comments: readonly { line: number; text: string }[]): Suppression[] {
  const suppressions: Suppression[] = [];
  for (const comment of comments) {
    const match = marker.exec(comment.text.trim());
    if (!match) continue;
    const rest = match[1] ?? '';
    // The rule ids end at ` -- `; rule ids themselves contain single hyphens.
    const separator = /(?:^|\s)--(?:\s|$)/.exec(rest);
    const ids = separator ? rest.slice(0, separator.index) : rest;
    const reason = separator ? rest.slice(separator.index + separator[0].length).trim() : '';
    suppressions.push({
      line: comment.line,
      ruleIds: ids.split(/[\s,]+/).filter((id) => id !== ''),
      reason: reason === '' ? null : reason,
    });
  }
  return suppressions;
}

/** Where a finding sits: the lines of the statement and of the operation that runs it. */
export type FindingAnchor = readonly (number | null | undefined)[];

/**
 * Marks the findings a suppression covers (same rule, comment on an anchor line or the line
 * above) and adds a finding for each suppression without a reason or that matches nothing.
 */
export function applySuppressions(
  findings: readonly { finding: MigrationFinding; anchor: FindingAnchor }[],
  suppressions: readonly Suppression[],
  where: { revision: string; file: string | null },
): MigrationFinding[] {
  const used = new Set<Suppression>();
  const out = findings.map(({ finding, anchor }) => {
    const lines = anchor.filter((line): line is number => typeof line === 'number');
    const suppression = suppressions.find(
      (s) =>
        s.reason !== null &&
        s.ruleIds.includes(finding.ruleId) &&
        lines.some((line) => s.line === line || s.line === line - 1),
    );
    if (!suppression) return finding;
    used.add(suppression);
    return { ...finding, suppressed: { reason: suppression.reason! } };
  });
  const located = { revision: where.revision, ...(where.file ? { file: where.file } : {}) };
  for (const suppression of suppressions) {
    if (suppression.reason === null) {
      out.push({
        ruleId: 'suppression-without-reason',
        severity: 'warning',
        ...located,
        line: suppression.line,
        message: `This suppression of ${suppression.ruleIds.join(', ') || '(no rule)'} gives no reason, so it suppresses nothing: write \`# flightdeck: ignore <rule-id> -- <why it is safe here>\`.`,
        explanation:
          'A waived finding is read later by someone deciding whether a deploy is safe; the reason is what they have to go on.',
      });
    } else if (suppression.ruleIds.length === 0) {
      out.push({
        ruleId: 'suppression-without-rule',
        severity: 'warning',
        ...located,
        line: suppression.line,
        message: 'This suppression names no rule, so it suppresses nothing: name the rule id it waives.',
      });
    } else if (!used.has(suppression)) {
      out.push({
        ruleId: 'suppression-unused',
        severity: 'info',
        ...located,
        line: suppression.line,
        message: `Nothing on this line or the next is reported as ${suppression.ruleIds.join(', ')}: the suppression can go.`,
      });
    }
  }
  return out;
}
