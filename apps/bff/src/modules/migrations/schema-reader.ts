import type { TargetDatabase } from '../../platform/upstreams/target-database.js';

/** What the target database has: the part of its catalog the migrations are compared with. */
export interface DatabaseSchema {
  /** Base table → column names, in column order. */
  tables: Record<string, string[]>;
  /** Enum type → labels, in sort order. */
  enums: Record<string, string[]>;
}

// One statement each: the SQL Lambda runs exactly one read-only statement per call.
// Only base tables: views and foreign tables are not what migrations create with create_table.
const columnsSql = `SELECT t.table_name, c.column_name
  FROM information_schema.tables t
  LEFT JOIN information_schema.columns c
    ON c.table_schema = t.table_schema AND c.table_name = t.table_name
 WHERE t.table_schema = $1 AND t.table_type = 'BASE TABLE'
 ORDER BY t.table_name, c.ordinal_position`;

const enumsSql = `SELECT t.typname AS type_name, e.enumlabel AS label
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname = $1
 ORDER BY t.typname, e.enumsortorder`;

/** Reads tables, columns and enum values of one schema, directly or through the SQL Lambda alike. */
export async function readDatabaseSchema(
  database: TargetDatabase,
  schema = 'public',
): Promise<DatabaseSchema> {
  const [columnRows, enumRows] = await Promise.all([
    database.query(columnsSql, [schema]),
    database.query(enumsSql, [schema]),
  ]);
  const tables: Record<string, string[]> = {};
  for (const row of columnRows) {
    const table = String(row.table_name);
    const columns = (tables[table] ??= []);
    // A table without columns still exists (LEFT JOIN gives one row with a null column).
    if (row.column_name !== null && row.column_name !== undefined) columns.push(String(row.column_name));
  }
  const enums: Record<string, string[]> = {};
  for (const row of enumRows) (enums[String(row.type_name)] ??= []).push(String(row.label));
  return { tables, enums };
}

/** alembic_version's rows; none when the table does not exist yet (a database Alembic never touched). */
export async function readVersionRows(database: TargetDatabase): Promise<string[]> {
  try {
    const rows = await database.query('SELECT version_num FROM alembic_version');
    return rows.map((row) => String(row.version_num));
  } catch (error) {
    if (isUndefinedTable(error)) return [];
    throw error;
  }
}

function isUndefinedTable(error: unknown): boolean {
  // pg reports SQLSTATE 42P01; the SQL Lambda reports psycopg2's class name.
  const e = error as { code?: unknown; name?: unknown };
  return e?.code === '42P01' || e?.name === 'UndefinedTable';
}
