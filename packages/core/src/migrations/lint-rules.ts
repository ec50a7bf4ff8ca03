// The catalogue of migration safety rules: what each one means in production and
// what to do instead. Texts are shown to on-call engineers as they are.
import type { FindingSeverity } from './finding.js';

export interface LintRule {
  id: string;
  severity: FindingSeverity;
  title: string;
  explanation: string;
  safeAlternative: string;
}

function rule(
  id: string,
  severity: FindingSeverity,
  title: string,
  explanation: string,
  safeAlternative: string,
): LintRule {
  return { id, severity, title, explanation, safeAlternative };
}

export const lintRules = {
  addColumnNotNullWithoutDefault: rule(
    'add-column-not-null-without-default',
    'error',
    'NOT NULL column without a default on an existing table',
    'PostgreSQL must give every existing row a value for the new column. With NOT NULL and no default there is none, so the statement fails as soon as the table has rows — in production, not in an empty test database — after first waiting for an ACCESS EXCLUSIVE lock that blocks every query on the table.',
    'Add the column as nullable (or with a constant DEFAULT, which PostgreSQL 11+ stores without rewriting the table), backfill it in batches, then add CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, and SET NOT NULL, which then skips the full scan.',
  ),
  addColumnVolatileDefault: rule(
    'add-column-volatile-default',
    'warning',
    'Column with a per-row default on an existing table',
    'A default computed for each row (nextval() behind SERIAL, random(), gen_random_uuid(), clock_timestamp()) cannot be stored once in the catalog: PostgreSQL rewrites the whole table to fill it in, holding ACCESS EXCLUSIVE for the duration of the rewrite.',
    'Add the column without a default (or with a constant one), then ALTER COLUMN … SET DEFAULT for new rows, and backfill existing rows in batches.',
  ),
  createIndexNotConcurrently: rule(
    'create-index-not-concurrently',
    'warning',
    'CREATE INDEX without CONCURRENTLY on an existing table',
    'CREATE INDEX holds a SHARE lock on the table for the whole build: reads continue, but every INSERT, UPDATE and DELETE waits until the index is finished — minutes on a large table, and with Alembic the lock lasts until the whole upgrade commits.',
    'Use CREATE INDEX CONCURRENTLY: op.create_index(…, postgresql_concurrently=True) inside `with op.get_context().autocommit_block():`. It takes longer and cannot run in a transaction; a failed build leaves an INVALID index to drop and retry.',
  ),
  concurrentlyInTransaction: rule(
    'concurrently-in-transaction',
    'error',
    'CONCURRENTLY inside a transaction',
    'CREATE INDEX CONCURRENTLY and DROP INDEX CONCURRENTLY refuse to run inside a transaction block ("cannot run inside a transaction block"). Alembic runs migrations in a transaction on PostgreSQL, so this migration fails when it gets here.',
    'Wrap the operation in `with op.get_context().autocommit_block():` (in a SQL file: run it outside BEGIN … COMMIT).',
  ),
  constraintWithoutNotValid: rule(
    'constraint-without-not-valid',
    'warning',
    'Foreign key or CHECK constraint added without NOT VALID',
    'Adding a foreign key or CHECK constraint checks every existing row while its lock is held: SHARE ROW EXCLUSIVE on both tables for a foreign key (writes to both blocked), ACCESS EXCLUSIVE for a CHECK (all queries blocked). On a large table that lasts a full scan.',
    'Add it with NOT VALID (new rows are checked immediately and the lock is brief), then run ALTER TABLE … VALIDATE CONSTRAINT in a separate transaction: validating takes only SHARE UPDATE EXCLUSIVE, so reads and writes continue. In Alembic: postgresql_not_valid=True (SQLAlchemy 2) or op.execute.',
  ),
  uniqueConstraintBuildsIndex: rule(
    'unique-constraint-builds-index',
    'warning',
    'UNIQUE or PRIMARY KEY constraint built under an exclusive lock',
    'ADD CONSTRAINT … UNIQUE or PRIMARY KEY builds its index while holding ACCESS EXCLUSIVE on the table, so every query waits for the whole index build.',
    'CREATE UNIQUE INDEX CONCURRENTLY first, then ALTER TABLE … ADD CONSTRAINT … UNIQUE USING INDEX, which only updates the catalog.',
  ),
  setNotNullScansTable: rule(
    'set-not-null-scans-table',
    'warning',
    'SET NOT NULL on an existing table',
    'SET NOT NULL reads every row to prove there is no NULL while holding ACCESS EXCLUSIVE, blocking all queries for a full table scan — and fails if it finds one.',
    'Add CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a separate transaction, then SET NOT NULL — PostgreSQL 12+ relies on the validated constraint and skips the scan — and drop the CHECK.',
  ),
  columnTypeChangeRewritesTable: rule(
    'column-type-change-rewrites-table',
    // Slow, not failing: how slow depends on the table's size (an error on a large table with --db).
    'warning',
    'Column type change that rewrites the table',
    'Changing a column to a type that is not binary-compatible rewrites every row and rebuilds every index of the table while holding ACCESS EXCLUSIVE: the table is unavailable for as long as the copy takes.',
    'Add a new column of the new type, backfill it in batches (a trigger keeps it in sync meanwhile), switch the code to it, and drop the old column in a later release. Widening VARCHAR(n), or VARCHAR to TEXT, is safe as it is.',
  ),
  reservedKeywordInSql: rule(
    'reserved-keyword-identifier',
    'error',
    'Reserved key word used as an unquoted name',
    'PostgreSQL reads a reserved key word written without double quotes as the key word, not as a name, and rejects the statement with "syntax error at or near …". The story\'s consolidated migration SQL failed on its first run exactly like this, on the column `references`.',
    'Write the name in double quotes, e.g. ADD COLUMN "references" JSONB — or, before it ships, pick a name that is not a key word.',
  ),
  reservedKeywordInScript: rule(
    'reserved-keyword-identifier',
    'warning',
    'Reserved key word used as a name',
    'Alembic quotes reserved words in the SQL it generates, so this migration works. But every hand-written query, report, psql session or consolidated migration SQL that names it must use double quotes, or it fails with "syntax error at or near …" — as the story\'s consolidated SQL did.',
    'Quote it in every hand-written SQL ("references"), or rename it now, while nothing depends on it yet.',
  ),
  enumValueUsedInSameTransaction: rule(
    'enum-value-used-in-same-transaction',
    'error',
    'New enum value used in the transaction that adds it',
    'A value added with ALTER TYPE … ADD VALUE cannot be used until the transaction that added it commits; PostgreSQL raises "unsafe use of new value". Alembic runs an upgrade in one transaction by default, so a later statement — even in a later revision of the same upgrade — that uses the value fails.',
    'Add the value inside `with op.get_context().autocommit_block():` so it commits on its own, or use it only in a migration that runs in a later transaction.',
  ),
  dropColumn: rule(
    'drop-column',
    'warning',
    'Column dropped',
    'Code that is still running — the previous Lambda version during the deploy, or the version a rollback returns to — still reads this column and fails with "column … does not exist". A code rollback cannot bring it back; only a database restore can.',
    'Expand and contract: first release code (and ORM models) that no longer use the column, then drop it in a later migration; keep a copy of the data if it may be needed.',
  ),
  dropTable: rule(
    'drop-table',
    'warning',
    'Table dropped',
    'Code that is still running, or the version a rollback returns to, fails with "relation … does not exist" — the story\'s 500 error the other way round. Its data is gone for everything but a snapshot restore.',
    'Stop using the table in a release first, drop it in a later migration, and make sure a snapshot from after the last write exists.',
  ),
  renameColumn: rule(
    'rename-column',
    'warning',
    'Column renamed',
    'The rename itself is instant, but every running query, ORM model and the code a rollback would return to still uses the old name and starts failing at once ("column … does not exist").',
    'Add the new column, write to both, backfill, move reads to the new one, and drop the old column in a later release.',
  ),
  renameTable: rule(
    'rename-table',
    'warning',
    'Table renamed',
    'The rename itself is instant, but every running query and the code a rollback would return to still uses the old name and fails at once ("relation … does not exist").',
    'Rename the table and create a view with the old name for one release, or copy with dual writes; remove the old name once no code uses it.',
  ),
  unfilteredDataChange: rule(
    'update-without-where',
    'warning',
    'UPDATE or DELETE of every row',
    "Changing every row in one statement locks all of them until the transaction commits, blocks concurrent writers of those rows, and rewrites the table's rows (bloat, WAL volume, replica lag).",
    'Backfill in batches of a few thousand rows by primary-key range, each in its own transaction, outside the schema migration.',
  ),
  sqlSyntaxError: rule(
    'sql-syntax-error',
    'error',
    'SQL that PostgreSQL rejects',
    'PostgreSQL will reject this statement; the migration fails and everything before it in the same transaction is rolled back.',
    'Fix the SQL and run it against a copy of the database (or `alembic upgrade --sql`) before deploying.',
  ),
  statementNotAnalysed: rule(
    'statement-not-analysed',
    'warning',
    'Statement not analysed',
    'What this statement does is only known when the migration runs, so no safety rule has checked it and it is missing from the summary.',
    'Review it by hand, or write the SQL as a literal string (not built at run time) so that it can be analysed.',
  ),
  lockOnExistingTable: rule(
    'lock-on-existing-table',
    'info',
    'Lock held on an existing table',
    "Locks taken by a migration are held until its transaction commits — with Alembic's default, until the whole upgrade has finished. A statement waiting for its lock behind a long-running query also makes every later query on the table wait behind it.",
    "Run `SET lock_timeout = '5s'` first (op.execute) so the migration gives up and can be retried instead of stalling the application while it waits.",
  ),
} as const satisfies Record<string, LintRule>;
