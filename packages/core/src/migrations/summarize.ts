// What one revision does, in one object: the lists a person reads ("+1 table, 20
// columns on providers") and the analysed statements the linter and the expected
// schema work from.
import type { RevisionScript } from '../alembic/parse-revision-script.js';
import { analyzeSqlText } from '../sql/analyze-sql.js';
import { sqlComments } from '../sql/pg-parser.js';
import { readSuppressions, type Suppression } from './suppressions.js';
import { readDowngradeOperations, readUpgradeOperations } from './alembic-operations.js';
import type { MigrationFinding } from './finding.js';
import type {
  AnalyzedStatement,
  ColumnAlteration,
  ColumnSpec,
  ConstraintSpec,
  IndexSpec,
} from './schema-change.js';

export { initSqlParser } from '../sql/pg-parser.js';

export interface MigrationSummary {
  revision: string;
  /** The script or SQL file it was read from, when known. */
  file: string | null;
  source: 'alembic-script' | 'sql';
  tablesCreated: { name: string; columns: ColumnSpec[] }[];
  tablesDropped: string[];
  tablesRenamed: { from: string; to: string }[];
  /** Columns added to tables that already exist (not those of created tables). */
  columnsAdded: { table: string; column: ColumnSpec }[];
  columnsDropped: { table: string; column: string }[];
  columnsAltered: ColumnAlteration[];
  columnsRenamed: { table: string; from: string; to: string }[];
  /** CREATE INDEX / op.create_index, and Column(index=True) in op.create_table. */
  indexesCreated: IndexSpec[];
  indexesDropped: { name: string; table: string | null }[];
  /** Constraints added to a table with ALTER TABLE … ADD CONSTRAINT (or its op). */
  constraintsAdded: ConstraintSpec[];
  constraintsDropped: { table: string; name: string }[];
  /** Every foreign key the revision introduces: in CREATE TABLE, on added columns, or added. */
  foreignKeys: ConstraintSpec[];
  enumTypesCreated: { type: string; values: string[] }[];
  enumValuesAdded: { type: string; value: string }[];
  statements: AnalyzedStatement[];
  counts: { tables: number; columns: number; indexes: number; enumValues: number };
  /** Problems reading the revision itself (no upgrade(), syntax errors). The linter repeats them. */
  findings: MigrationFinding[];
  /** `flightdeck: ignore` comments in the script or SQL file. */
  suppressions: Suppression[];
}

/** Summarises a revision script's upgrade(). Needs initSqlParser() to have completed. */
export function summarizeRevisionScript(script: RevisionScript, source: string): MigrationSummary {
  const reading = readUpgradeOperations(script.file, script.revision, source);
  return summarizeStatements(script.revision, reading.statements, {
    file: script.file,
    source: 'alembic-script',
    findings: reading.findings,
    suppressions: reading.suppressions,
  });
}

/** Summarises a revision script's downgrade(); `defined` is false when it has none. */
export function summarizeRevisionDowngrade(
  script: RevisionScript,
  source: string,
): { defined: boolean; summary: MigrationSummary } {
  const reading = readDowngradeOperations(script.file, script.revision, source);
  return {
    defined: reading.defined,
    summary: summarizeStatements(script.revision, reading.statements, {
      file: script.file,
      source: 'alembic-script',
      findings: reading.findings,
    }),
  };
}

export interface SqlSummaryOptions {
  file?: string;
  /** Whether the SQL runs inside a transaction already (false for a file run with psql: BEGIN starts one). */
  inTransaction?: boolean;
}

/** Summarises hand-written SQL or one revision's part of Alembic's offline (--sql) output. */
export function summarizeSql(
  revision: string,
  sql: string,
  options: SqlSummaryOptions = {},
): MigrationSummary {
  const statements = analyzeSqlText(sql, { inTransaction: options.inTransaction ?? false });
  const comments = sqlComments(sql).map((comment) => ({
    line: 1 + (sql.slice(0, comment.offset).match(/\n/g)?.length ?? 0),
    text: comment.text,
  }));
  return summarizeStatements(revision, statements, {
    file: options.file ?? null,
    source: 'sql',
    findings: [],
    suppressions: readSuppressions(comments),
  });
}

export function summarizeStatements(
  revision: string,
  statements: AnalyzedStatement[],
  origin: {
    file: string | null;
    source: MigrationSummary['source'];
    findings: MigrationFinding[];
    suppressions?: Suppression[];
  },
): MigrationSummary {
  const summary: MigrationSummary = {
    revision,
    file: origin.file,
    source: origin.source,
    tablesCreated: [],
    tablesDropped: [],
    tablesRenamed: [],
    columnsAdded: [],
    columnsDropped: [],
    columnsAltered: [],
    columnsRenamed: [],
    indexesCreated: [],
    indexesDropped: [],
    constraintsAdded: [],
    constraintsDropped: [],
    foreignKeys: [],
    enumTypesCreated: [],
    enumValuesAdded: [],
    statements: statements.map((statement, index) => ({ ...statement, index })),
    counts: { tables: 0, columns: 0, indexes: 0, enumValues: 0 },
    findings: origin.findings,
    suppressions: origin.suppressions ?? [],
  };
  const inlineForeignKey = (table: string, column: ColumnSpec): ConstraintSpec[] =>
    column.references
      ? [
          {
            kind: 'foreignKey',
            name: null,
            table,
            columns: [column.name],
            expression: null,
            references: column.references,
            notValid: false,
            usingIndex: null,
          },
        ]
      : [];
  for (const change of statements.flatMap((statement) => statement.changes)) {
    switch (change.kind) {
      case 'createTable':
        summary.tablesCreated.push({ name: change.table, columns: change.columns });
        summary.indexesCreated.push(...change.indexes);
        summary.foreignKeys.push(
          ...change.columns.flatMap((column) => inlineForeignKey(change.table, column)),
          ...change.constraints.filter((constraint) => constraint.kind === 'foreignKey'),
        );
        break;
      case 'dropTable':
        summary.tablesDropped.push(change.table);
        break;
      case 'renameTable':
        summary.tablesRenamed.push({ from: change.table, to: change.newName });
        break;
      case 'addColumn':
        summary.columnsAdded.push({ table: change.table, column: change.column });
        summary.foreignKeys.push(...inlineForeignKey(change.table, change.column));
        break;
      case 'dropColumn':
        summary.columnsDropped.push({ table: change.table, column: change.column });
        break;
      case 'alterColumn': {
        const { kind: _kind, ...alteration } = change;
        summary.columnsAltered.push(alteration);
        break;
      }
      case 'renameColumn':
        summary.columnsRenamed.push({ table: change.table, from: change.column, to: change.newName });
        break;
      case 'createIndex':
        summary.indexesCreated.push(change.index);
        break;
      case 'dropIndex':
        summary.indexesDropped.push({ name: change.name, table: change.table });
        break;
      case 'addConstraint':
        summary.constraintsAdded.push(change.constraint);
        if (change.constraint.kind === 'foreignKey') summary.foreignKeys.push(change.constraint);
        break;
      case 'dropConstraint':
        summary.constraintsDropped.push({ table: change.table, name: change.name });
        break;
      case 'createEnum':
        summary.enumTypesCreated.push({ type: change.type, values: change.values });
        break;
      case 'addEnumValue':
        summary.enumValuesAdded.push({ type: change.type, value: change.value });
        break;
      default:
        break;
    }
  }
  summary.counts = {
    tables: summary.tablesCreated.length,
    columns: summary.columnsAdded.length,
    indexes: summary.indexesCreated.length,
    enumValues: summary.enumValuesAdded.length,
  };
  return summary;
}
