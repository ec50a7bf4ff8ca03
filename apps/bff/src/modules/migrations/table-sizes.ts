import type { TableSize } from '@flightdeck/core';
import type { TargetDatabase } from '../../platform/upstreams/target-database.js';

// Estimates from the catalog, not counts: reading them costs nothing on a 20 GB table.
// reltuples is -1 for a table never vacuumed or analysed (PostgreSQL 14+).
const tableSizesSql = `SELECT c.relname AS table_name, c.reltuples::float8 AS row_estimate,
       pg_total_relation_size(c.oid)::float8 AS total_bytes
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`;

/** Rows and bytes of every table of one schema (pg_class.reltuples, pg_total_relation_size). */
export async function readTableSizes(
  database: TargetDatabase,
  schema = 'public',
): Promise<Map<string, TableSize>> {
  const rows = await database.query(tableSizesSql, [schema]);
  const sizes = new Map<string, TableSize>();
  for (const row of rows) {
    const estimate = Number(row.row_estimate);
    sizes.set(String(row.table_name), {
      rows: Number.isFinite(estimate) && estimate >= 0 ? Math.round(estimate) : null,
      bytes: Number(row.total_bytes) || 0,
    });
  }
  return sizes;
}
