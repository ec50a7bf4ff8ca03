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
  /** What takes time while the lock is held: the table's size decides how long. */
  lockWork?: LockWork;
  /** The live table, when a database was read (pg_class). */
  tableSize?: TableSizeEstimate;
  /** Waived by a `flightdeck: ignore` comment; still listed, never counted. */
  suppressed?: { reason: string };
}

export type LockWork = 'rewrite' | 'scan' | 'index-build' | 'row-update';

export interface TableSizeEstimate {
  /** pg_class.reltuples; null when the table was never analysed. */
  rows: number | null;
  /** pg_total_relation_size: table, indexes and TOAST. */
  bytes: number;
  /** Estimated seconds of the work under the lock at lint.rewriteMBPerSecond; null when no work is sized. */
  lockSeconds: number | null;
}

export interface FindingCounts extends Record<FindingSeverity, number> {
  /** Suppressed findings, whatever their severity; not in the other counts. */
  suppressed: number;
}

const severityRank: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then info, suppressed ones last; the original order otherwise. */
export function sortFindings(findings: readonly MigrationFinding[]): MigrationFinding[] {
  const rank = (finding: MigrationFinding) => (finding.suppressed ? 3 : 0) + severityRank[finding.severity];
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => rank(a.finding) - rank(b.finding) || a.index - b.index)
    .map(({ finding }) => finding);
}

/** What gates a deploy: unsuppressed findings by severity, and how many were suppressed. */
export function countBySeverity(findings: readonly MigrationFinding[]): FindingCounts {
  const counts: FindingCounts = { error: 0, warning: 0, info: 0, suppressed: 0 };
  for (const finding of findings) {
    if (finding.suppressed) counts.suppressed += 1;
    else counts[finding.severity] += 1;
  }
  return counts;
}
