// The migration report for a terminal: history, where the database stands, what the
// pending migrations do, findings and schema drift. buildMigrationReport gives the
// plain object (what `--json` prints); formatMigrationReport renders it as text.
import type { DatabasePosition } from '../alembic/database-position.js';
import type { RevisionGraph } from '../alembic/revision-graph.js';
import { countBySeverity, sortFindings, type FindingCounts, type MigrationFinding } from './finding.js';
import { strongestPerTable, type TableLock } from './locks.js';
import { describeDrift, type SchemaDrift } from './drift.js';
import type { MigrationSummary } from './summarize.js';
import { countOf } from '../text/count-of.js';

export interface MigrationReportInput {
  graph: RevisionGraph;
  position?: DatabasePosition;
  /** Summaries to describe, usually the pending revisions, in upgrade order. */
  summaries?: readonly MigrationSummary[];
  /** Lint findings (graph and position findings are taken from those objects). */
  findings?: readonly MigrationFinding[];
  drift?: SchemaDrift;
}

/**
 * `undetermined`: the database names a revision this code lacks, so whether a revision outside the
 * known ancestry has run cannot be told (and `alembic upgrade` would refuse to run it anyway).
 */
export type RevisionState = 'applied' | 'current' | 'pending' | 'not-placed' | 'undetermined';

export interface ReportRevision {
  revision: string;
  file: string;
  message: string | null;
  createDate: string | null;
  downRevisions: string[];
  branchLabels: string[];
  head: boolean;
  mergePoint: boolean;
  branchPoint: boolean;
  /** null when no database position was given. */
  state: RevisionState | null;
}

export interface ReportMigration {
  revision: string;
  message: string | null;
  counts: MigrationSummary['counts'];
  tablesCreated: string[];
  tablesDropped: string[];
  columnsAdded: string[];
  columnsDropped: string[];
  columnsAltered: string[];
  indexesCreated: string[];
  enumValuesAdded: string[];
  locks: TableLock[];
}

export interface MigrationReport {
  revisions: ReportRevision[];
  heads: string[];
  position: {
    current: string[];
    pending: string[];
    unknown: string[];
    upToDate: boolean;
  } | null;
  migrations: ReportMigration[];
  totals: MigrationSummary['counts'];
  findings: MigrationFinding[];
  findingCounts: FindingCounts;
  /** Whether findings were weighed by the live tables' sizes. */
  tableSizes?: 'live' | 'unknown';
  drift: (SchemaDrift & { summary: string }) | null;
}

export function buildMigrationReport(input: MigrationReportInput): MigrationReport {
  const { graph, position } = input;
  const history = new Set(graph.history);
  const current = new Set(position?.current ?? []);
  const applied = new Set(position?.applied ?? []);
  const stateOf = (revision: string): RevisionState | null => {
    if (!position) return null;
    if (!history.has(revision)) return 'not-placed';
    if (current.has(revision)) return 'current';
    if (applied.has(revision)) return 'applied';
    return position.unknown.length > 0 ? 'undetermined' : 'pending';
  };
  const messages = new Map(graph.revisions.map((script) => [script.revision, script.message]));
  const summaries = input.summaries ?? [];
  const migrations = summaries.map((summary): ReportMigration => ({
    revision: summary.revision,
    message: messages.get(summary.revision) ?? null,
    counts: summary.counts,
    tablesCreated: summary.tablesCreated.map((table) => table.name),
    tablesDropped: summary.tablesDropped,
    columnsAdded: summary.columnsAdded.map(({ table, column }) => `${table}.${column.name}`),
    columnsDropped: summary.columnsDropped.map(({ table, column }) => `${table}.${column}`),
    columnsAltered: summary.columnsAltered.map(({ table, column }) => `${table}.${column}`),
    indexesCreated: summary.indexesCreated.map((index) => index.name ?? `(unnamed on ${index.table})`),
    enumValuesAdded: summary.enumValuesAdded.map(({ type, value }) => `${type}.${value}`),
    locks: strongestPerTable(summary.statements.flatMap((statement) => statement.locks)),
  }));
  const findings = sortFindings([
    ...graph.findings,
    ...(position?.findings ?? []),
    ...(input.findings ?? []),
  ]);
  return {
    revisions: graph.revisions.map((script) => ({
      revision: script.revision,
      file: script.file,
      message: script.message,
      createDate: script.createDate,
      downRevisions: script.downRevisions,
      branchLabels: script.branchLabels,
      head: graph.heads.includes(script.revision),
      mergePoint: graph.mergePoints.includes(script.revision),
      branchPoint: graph.branchPoints.includes(script.revision),
      state: stateOf(script.revision),
    })),
    heads: graph.heads,
    position: position
      ? {
          current: position.current,
          pending: position.pending,
          unknown: position.unknown,
          upToDate: position.upToDate,
        }
      : null,
    migrations,
    totals: summaries.reduce(
      (total, summary) => ({
        tables: total.tables + summary.counts.tables,
        columns: total.columns + summary.counts.columns,
        indexes: total.indexes + summary.counts.indexes,
        enumValues: total.enumValues + summary.counts.enumValues,
      }),
      { tables: 0, columns: 0, indexes: 0, enumValues: 0 },
    ),
    findings,
    findingCounts: countBySeverity(findings),
    drift: input.drift ? { ...input.drift, summary: describeDrift(input.drift) } : null,
  };
}

function list(items: readonly string[], max = 8): string {
  return items.length <= max
    ? items.join(', ')
    : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function countsText(counts: MigrationSummary['counts']): string {
  const parts = [
    counts.tables ? `+${countOf(counts.tables, 'table')}` : null,
    counts.columns ? `+${countOf(counts.columns, 'column')}` : null,
    counts.indexes ? `+${countOf(counts.indexes, 'index', 'indexes')}` : null,
    counts.enumValues ? `+${countOf(counts.enumValues, 'enum value')}` : null,
  ].filter((part): part is string => part !== null);
  return parts.length ? parts.join(', ') : 'no schema additions';
}

export function formatMigrationReport(report: MigrationReport): string {
  const lines: string[] = [];
  const idWidth = Math.max(8, ...report.revisions.map((r) => r.revision.length));
  const stateWidth = Math.max(10, ...report.revisions.map((r) => (r.state?.length ?? 0) + 1));

  lines.push(
    `Revision history (${countOf(report.revisions.length, 'revision')}, head${report.heads.length === 1 ? '' : 's'} ${report.heads.join(', ') || 'none'})`,
  );
  for (const revision of report.revisions) {
    const marks = [
      revision.head ? 'head' : null,
      revision.mergePoint ? `merge of ${revision.downRevisions.join(', ')}` : null,
      revision.branchPoint ? 'branch point' : null,
      revision.branchLabels.length ? `branch ${revision.branchLabels.join(', ')}` : null,
    ].filter((mark): mark is string => mark !== null);
    const state = revision.state ? revision.state.padEnd(stateWidth) : '';
    const pointer = revision.state === 'current' ? '>' : ' ';
    lines.push(
      `${pointer} ${revision.revision.padEnd(idWidth)}  ${state}${revision.message ?? '(no message)'}${marks.length ? `  [${marks.join('; ')}]` : ''}`,
    );
  }

  if (report.position) {
    const { current, pending, unknown, upToDate } = report.position;
    lines.push('');
    const at = current.length ? `at ${current.join(', ')}` : 'not stamped (no alembic_version rows)';
    if (unknown.length) lines.push(`Database: ${at} — UNKNOWN to this code: ${unknown.join(', ')}`);
    else if (upToDate) lines.push(`Database: ${at} — up to date`);
    else
      lines.push(`Database: ${at} — ${countOf(pending.length, 'migration')} pending: ${pending.join(' → ')}`);
  }

  if (report.migrations.length) {
    lines.push('', 'Migrations');
    for (const migration of report.migrations) {
      lines.push(`  ${migration.revision}  ${migration.message ?? ''}`.trimEnd());
      lines.push(`    ${countsText(migration.counts)}`);
      if (migration.tablesCreated.length) lines.push(`    tables created: ${list(migration.tablesCreated)}`);
      if (migration.tablesDropped.length) lines.push(`    tables dropped: ${list(migration.tablesDropped)}`);
      if (migration.columnsAdded.length) lines.push(`    columns added: ${list(migration.columnsAdded)}`);
      if (migration.columnsDropped.length)
        lines.push(`    columns dropped: ${list(migration.columnsDropped)}`);
      if (migration.columnsAltered.length)
        lines.push(`    columns altered: ${list(migration.columnsAltered)}`);
      if (migration.indexesCreated.length) lines.push(`    indexes: ${list(migration.indexesCreated)}`);
      if (migration.enumValuesAdded.length) lines.push(`    enum values: ${list(migration.enumValuesAdded)}`);
      if (migration.locks.length) {
        lines.push(
          `    locks: ${list(
            migration.locks.map((lock) => `${lock.mode} on ${lock.table}`),
            5,
          )}`,
        );
      }
    }
    lines.push(`  Total: ${countsText(report.totals)}`);
  }

  const { error, warning, info, suppressed } = report.findingCounts;
  lines.push(
    '',
    `Findings: ${countOf(error, 'error')}, ${countOf(warning, 'warning')}, ${info} info${suppressed ? `, ${suppressed} suppressed` : ''}`,
  );
  for (const finding of report.findings) {
    const where = [
      finding.revision,
      finding.file ? `${finding.file}${finding.line ? `:${finding.line}` : ''}` : null,
      finding.table ? `table ${finding.table}` : null,
      finding.lock ?? null,
    ].filter((part): part is string => !!part);
    lines.push(
      `  ${finding.severity.toUpperCase().padEnd(7)} ${finding.ruleId}${where.length ? `  (${where.join(', ')})` : ''}`,
    );
    lines.push(`          ${finding.message}`);
    if (finding.suppressed) lines.push(`          Suppressed: ${finding.suppressed.reason}`);
    else if (finding.severity !== 'info' && finding.safeAlternative)
      lines.push(`          Instead: ${finding.safeAlternative}`);
  }

  if (report.drift) {
    const drift = report.drift;
    lines.push('', `Schema drift: ${drift.summary}`);
    if (drift.missingTables.length) lines.push(`  missing tables: ${drift.missingTables.join(', ')}`);
    if (drift.missingColumns.length) {
      lines.push(
        `  missing columns: ${drift.missingColumns.map(({ table, column }) => `${table}.${column}`).join(', ')}`,
      );
    }
    if (drift.extraTables.length)
      lines.push(`  tables no migration creates: ${drift.extraTables.join(', ')}`);
    if (drift.extraColumns.length) {
      lines.push(
        `  columns no migration adds: ${drift.extraColumns.map(({ table, column }) => `${table}.${column}`).join(', ')}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
