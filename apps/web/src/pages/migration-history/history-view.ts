// What the Migration History page shows, derived from the server's answer without React:
// one row per revision, the findings that belong to none, and who adds each missing object.
import type {
  AppliedRevision,
  MigrationFinding,
  MigrationHistoryData,
  ReportMigration,
  ReportRevision,
} from '@flightdeck/contracts';
import { countOf } from '../../format';

export interface RevisionRow {
  revision: ReportRevision;
  /** What the revision does; null when its script could not be analysed. */
  summary: ReportMigration | null;
  createdTables: { table: string; columns: string[] }[];
  /** Its findings; an applied revision keeps those of the run that applied it. */
  findings: MigrationFinding[];
  /** The deploy that applied it, when, and who said so; null when no deploy of Flightdeck's did. */
  appliedBy: AppliedRevision | null;
}

/** Findings that mean Alembic itself would refuse this folder: the history is broken. */
const brokenHistoryRules = new Set([
  'unreadable-script',
  'python-syntax-error',
  'missing-revision-id',
  'missing-down-revision-variable',
  'unreadable-revision-value',
  'duplicate-revision',
  'revision-cycle',
  'missing-down-revision',
  'missing-dependency',
  'duplicate-branch-label',
  'multiple-heads',
]);

export function isBrokenHistoryFinding(finding: MigrationFinding): boolean {
  return finding.severity === 'error' && brokenHistoryRules.has(finding.ruleId);
}

/** Base → head, as the report orders them, each applied one with the deploy that applied it. */
export function revisionRows(
  data: MigrationHistoryData,
  appliedBy: readonly AppliedRevision[] = [],
): RevisionRow[] {
  const summaries = new Map(data.revisionSummaries.map((s) => [s.revision, s]));
  const deploys = new Map(appliedBy.map((a) => [a.revision, a]));
  return data.report.revisions.map((revision) => {
    const applied = revision.state === 'applied' || revision.state === 'current';
    return {
      revision,
      summary: summaries.get(revision.revision) ?? null,
      createdTables: data.createdTables.filter((t) => t.revision === revision.revision),
      findings: [...data.report.findings, ...(applied ? (data.appliedFindings ?? []) : [])].filter(
        (f) => f.revision === revision.revision && !isBrokenHistoryFinding(f),
      ),
      appliedBy: applied ? (deploys.get(revision.revision) ?? null) : null,
    };
  });
}

/** Findings no revision row shows: about the folder or the database as a whole. */
export function generalFindings(data: MigrationHistoryData): MigrationFinding[] {
  const rows = new Set(data.report.revisions.map((r) => r.revision));
  return data.report.findings.filter(
    (f) => !isBrokenHistoryFinding(f) && (f.revision === undefined || !rows.has(f.revision)),
  );
}

/** "1 warning · 3 info · 1 suppressed", or "" when there are none. Suppressed ones count apart. */
export function findingTally(findings: readonly MigrationFinding[]): string {
  const count = (severity: MigrationFinding['severity']) =>
    findings.filter((f) => f.severity === severity && !f.suppressed).length;
  const suppressed = findings.filter((f) => f.suppressed).length;
  return [
    count('error') ? countOf(count('error'), 'error') : null,
    count('warning') ? countOf(count('warning'), 'warning') : null,
    count('info') ? `${count('info')} info` : null,
    suppressed ? `${suppressed} suppressed` : null,
  ]
    .filter((part): part is string => part !== null)
    .join(' · ');
}

/** "providers" → its missing columns, in the order the migrations add them. */
export function groupColumnsByTable(
  columns: readonly { table: string; column: string }[],
): { table: string; columns: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const { table, column } of columns) groups.set(table, [...(groups.get(table) ?? []), column]);
  return [...groups].map(([table, names]) => ({ table, columns: names }));
}

/**
 * Which revision creates each table ("t") and adds each column ("t.c"): a missing object a
 * pending revision adds is the deploy's job; one nobody adds is drift.
 */
export function addedBy(data: MigrationHistoryData): Map<string, ReportRevision> {
  const revisions = new Map(data.report.revisions.map((r) => [r.revision, r]));
  const owners = new Map<string, ReportRevision>();
  for (const summary of data.revisionSummaries) {
    const revision = revisions.get(summary.revision);
    if (!revision) continue;
    for (const table of summary.tablesCreated) owners.set(table, revision);
    for (const column of summary.columnsAdded) owners.set(column, revision);
  }
  return owners;
}
