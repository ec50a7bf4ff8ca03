// The tables, columns and enum values a sequence of migrations says must exist,
// replayed change by change in upgrade order (so a column added then dropped is gone).
import type { MigrationSummary } from './summarize.js';

export interface ExpectedSchema {
  /** Table → column names, in the order they were added. */
  tables: Record<string, string[]>;
  /** Enum type → values, in the order they were added. */
  enumValues: Record<string, string[]>;
}

export function expectedSchema(summaries: readonly MigrationSummary[]): ExpectedSchema {
  const tables = new Map<string, string[]>();
  const enums = new Map<string, string[]>();
  const columnsOf = (table: string) => {
    let columns = tables.get(table);
    if (!columns) tables.set(table, (columns = [])); // a table created outside the migrations we know
    return columns;
  };
  for (const change of summaries.flatMap((summary) =>
    summary.statements.flatMap((statement) => statement.changes),
  )) {
    switch (change.kind) {
      case 'createTable':
        tables.set(change.table, [...new Set(change.columns.map((column) => column.name))]);
        break;
      case 'dropTable':
        tables.delete(change.table);
        break;
      case 'renameTable': {
        const columns = tables.get(change.table);
        tables.delete(change.table);
        tables.set(change.newName, columns ?? []);
        break;
      }
      case 'addColumn': {
        const columns = columnsOf(change.table);
        if (!columns.includes(change.column.name)) columns.push(change.column.name);
        break;
      }
      case 'dropColumn':
        tables.set(
          change.table,
          columnsOf(change.table).filter((column) => column !== change.column),
        );
        break;
      case 'renameColumn':
        tables.set(
          change.table,
          columnsOf(change.table).map((column) => (column === change.column ? change.newName : column)),
        );
        break;
      case 'createEnum':
        enums.set(change.type, [...change.values]);
        break;
      case 'addEnumValue': {
        const values = enums.get(change.type) ?? [];
        if (!values.includes(change.value)) values.push(change.value);
        enums.set(change.type, values);
        break;
      }
      case 'dropType':
        enums.delete(change.type);
        break;
      default:
        break;
    }
  }
  return { tables: Object.fromEntries(tables), enumValues: Object.fromEntries(enums) };
}
