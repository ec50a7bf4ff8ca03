// Schema drift: what the migrations say must exist, compared with what the target
// database's information_schema shows. Missing objects break the code that expects
// them ("relation … does not exist"); extra ones are listed so nobody is surprised.
import type { MigrationFinding } from './finding.js';
import type { ExpectedSchema } from './expected-schema.js';
import { compareText } from '../text-order.js';
import { countOf } from '../text/count-of.js';

export interface ActualSchema {
  /** Table → column names, as information_schema.columns lists them. */
  tables: Record<string, string[]>;
}

export interface TableColumn {
  table: string;
  column: string;
}

export interface SchemaDrift {
  /** In migration order. */
  missingTables: string[];
  /** Columns missing from tables that exist (a missing table's columns are not repeated). */
  missingColumns: TableColumn[];
  extraTables: string[];
  extraColumns: TableColumn[];
}

export interface CompareOptions {
  /** Tables that are not part of the application schema; alembic_version by default. */
  ignoreTables?: readonly string[];
}

export function compareSchema(
  expected: Pick<ExpectedSchema, 'tables'>,
  actual: ActualSchema,
  options: CompareOptions = {},
): SchemaDrift {
  const ignored = new Set(options.ignoreTables ?? ['alembic_version']);
  const expectedTables = new Map(Object.entries(expected.tables).filter(([table]) => !ignored.has(table)));
  const actualTables = new Map(Object.entries(actual.tables).filter(([table]) => !ignored.has(table)));
  const drift: SchemaDrift = { missingTables: [], missingColumns: [], extraTables: [], extraColumns: [] };
  for (const [table, columns] of expectedTables) {
    const present = actualTables.get(table);
    if (!present) {
      drift.missingTables.push(table);
      continue;
    }
    const presentColumns = new Set(present);
    for (const column of columns)
      if (!presentColumns.has(column)) drift.missingColumns.push({ table, column });
    const expectedColumns = new Set(columns);
    for (const column of [...present].sort(compareText)) {
      if (!expectedColumns.has(column)) drift.extraColumns.push({ table, column });
    }
  }
  drift.extraTables = [...actualTables.keys()]
    .filter((table) => !expectedTables.has(table))
    .sort(compareText);
  return drift;
}

export function hasMissingObjects(drift: SchemaDrift): boolean {
  return drift.missingTables.length > 0 || drift.missingColumns.length > 0;
}

/** "3 tables and 22 columns missing", or "nothing missing". */
export function describeDrift(drift: SchemaDrift): string {
  const missing = [
    drift.missingTables.length ? countOf(drift.missingTables.length, 'table') : null,
    drift.missingColumns.length ? countOf(drift.missingColumns.length, 'column') : null,
  ].filter((part): part is string => part !== null);
  const extra = [
    drift.extraTables.length ? countOf(drift.extraTables.length, 'table') : null,
    drift.extraColumns.length ? countOf(drift.extraColumns.length, 'column') : null,
  ].filter((part): part is string => part !== null);
  const missingText = missing.length ? `${missing.join(' and ')} missing` : 'nothing missing';
  return extra.length ? `${missingText}; ${extra.join(' and ')} not in the migrations` : missingText;
}

export function driftFindings(drift: SchemaDrift): MigrationFinding[] {
  const findings: MigrationFinding[] = [];
  for (const table of drift.missingTables) {
    findings.push({
      ruleId: 'schema-table-missing',
      severity: 'error',
      table,
      message: `Table ${table} is missing from the database.`,
      explanation:
        'Code that uses it fails with "relation … does not exist" — the story\'s notification-preferences 500.',
    });
  }
  const byTable = new Map<string, string[]>();
  for (const { table, column } of drift.missingColumns)
    byTable.set(table, [...(byTable.get(table) ?? []), column]);
  for (const [table, columns] of byTable) {
    findings.push({
      ruleId: 'schema-column-missing',
      severity: 'error',
      table,
      message: `${table} is missing ${countOf(columns.length, 'column')}: ${columns.join(', ')}.`,
      explanation: 'Code that reads or writes them fails with "column … does not exist".',
    });
  }
  for (const table of drift.extraTables) {
    findings.push({
      ruleId: 'schema-extra-table',
      severity: 'info',
      table,
      message: `Table ${table} exists in the database but no migration creates it.`,
    });
  }
  const extraByTable = new Map<string, string[]>();
  for (const { table, column } of drift.extraColumns)
    extraByTable.set(table, [...(extraByTable.get(table) ?? []), column]);
  for (const [table, columns] of extraByTable) {
    findings.push({
      ruleId: 'schema-extra-column',
      severity: 'info',
      table,
      message: `${table} has ${countOf(columns.length, 'column')} no migration adds: ${columns.join(', ')}.`,
    });
  }
  return findings;
}
