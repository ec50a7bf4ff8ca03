// One shape for everything the analyzer has to say — about a folder, a database
// position or a single statement — so the BFF and the CLI render them the same way.
import type { LockLevel } from './locks.js';

export type FindingSeverity = 'error' | 'warning' | 'info';

export interface MigrationFinding {
  /** Stable identifier of the rule or check, e.g. `create-index-not-concurrently`. */
  ruleId: string;
  severity: FindingSeverity;
  revision?: string;
  file?: string;
  /** 1-based line in `file` (Python script or SQL file). */
  line?: number;
  statement?: string;
  table?: string;
  lock?: LockLevel;
  message: string;
  /** One paragraph: why it matters in production. */
  explanation?: string;
  safeAlternative?: string;
}

const severityRank: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then info; the original order otherwise. */
export function sortFindings(findings: readonly MigrationFinding[]): MigrationFinding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => severityRank[a.finding.severity] - severityRank[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
}

export function countBySeverity(findings: readonly MigrationFinding[]): Record<FindingSeverity, number> {
  const counts: Record<FindingSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}
