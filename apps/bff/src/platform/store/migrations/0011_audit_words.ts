import { sql, type Kysely } from 'kysely';

export const name = '0011_audit_words';

/**
 * Audit rows in words: `summary` says what happened as a person would ("lee signed off …"), the
 * `action` column keeps the method and route for machines; `wall_at` keeps the wall clock's time
 * when the row's `at` follows another clock (the sandbox's scenario time) and the two differ.
 * Older rows keep both null and read their action as their words.
 */
// Kysely migrations take an untyped database: the schema they build is what later types describe.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Adding columns is DDL: the append-only trigger (0001) refuses row updates, not this.
  await sql`ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS summary text`.execute(db);
  await sql`ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS wall_at timestamptz`.execute(db);
}
