import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFixture } from '../__fixtures__/read-fixture-folder.js';
import type { RevisionScript } from '../alembic/parse-revision-script.js';
import { lintMigration, lintMigrations } from './lint.js';
import { initSqlParser, summarizeRevisionScript, summarizeSql } from './summarize.js';

beforeAll(initSqlParser);

const script = (revision: string): RevisionScript => ({
  file: `${revision}.py`,
  revision,
  downRevisions: [],
  branchLabels: [],
  dependsOn: [],
  message: null,
  createDate: null,
});

const summarize = (body: string, revision = 'r1') =>
  summarizeRevisionScript(
    script(revision),
    `from alembic import op\nimport sqlalchemy as sa\n\ndef upgrade():\n${body
      .trim()
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n')}\n`,
  );

const existing = { existingTables: ['accounts', 'providers', 'organizations', 'users'] };
const lint = (body: string) => lintMigration(summarize(body), existing);
const ruleIds = (findings: { ruleId: string }[]) => findings.map((f) => f.ruleId);
const sqlFixture = (name: string) =>
  readFixture(fileURLToPath(new URL(`./__fixtures__/sql/${name}`, import.meta.url)));

describe('reserved key words', () => {
  it('flags the story’s unquoted `references` in raw SQL as an error naming the word', () => {
    const findings = lintMigration(
      summarizeSql('story', sqlFixture('production_migrations_first_try.sql')),
      existing,
    );
    const reserved = findings.filter((f) => f.ruleId === 'reserved-keyword-identifier');
    expect(reserved).toHaveLength(1);
    expect(reserved[0]).toMatchObject({ severity: 'error', line: 80 });
    expect(reserved[0]?.message).toContain('"references"');
    expect(reserved[0]?.statement).toBe('ALTER TABLE providers ADD COLUMN IF NOT EXISTS references JSONB');
  });

  it('passes it when quoted', () => {
    const findings = lintMigration(summarizeSql('story', sqlFixture('production_migrations.sql')), existing);
    expect(ruleIds(findings)).not.toContain('reserved-keyword-identifier');
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('flags it in op.execute SQL too, and accepts it quoted there', () => {
    expect(lint(`op.execute("ALTER TABLE providers ADD COLUMN references JSONB")`)).toMatchObject([
      { ruleId: 'reserved-keyword-identifier', severity: 'error' },
      { ruleId: 'lock-on-existing-table' },
    ]);
    expect(ruleIds(lint(`op.execute('ALTER TABLE providers ADD COLUMN "references" JSONB')`))).toEqual([
      'lock-on-existing-table',
    ]);
  });

  it('warns (does not fail) when an Alembic operation names a column with a reserved word', () => {
    const findings = lint(`op.add_column("providers", sa.Column("references", sa.JSON(), nullable=True))`);
    expect(findings[0]).toMatchObject({
      ruleId: 'reserved-keyword-identifier',
      severity: 'warning',
      table: 'providers',
    });
    expect(findings[0]?.message).toContain('Alembic quotes it');
  });
});

describe('indexes', () => {
  it('flags a non-concurrent index on an existing table, with its lock', () => {
    const findings = lint(`op.create_index("ix_accounts_email", "accounts", ["email"])`);
    expect(findings[0]).toMatchObject({
      ruleId: 'create-index-not-concurrently',
      severity: 'warning',
      table: 'accounts',
      lock: 'ShareLock',
      revision: 'r1',
      file: 'r1.py',
      line: 5,
    });
    expect(findings[0]?.safeAlternative).toContain('postgresql_concurrently=True');
  });

  it('passes a concurrent index built outside the transaction', () => {
    const findings = lint(`
with op.get_context().autocommit_block():
    op.create_index("ix_accounts_email", "accounts", ["email"], postgresql_concurrently=True)`);
    expect(ruleIds(findings)).toEqual([]);
  });

  it('fails CONCURRENTLY inside the migration transaction', () => {
    expect(
      ruleIds(lint(`op.create_index("ix", "accounts", ["email"], postgresql_concurrently=True)`)),
    ).toEqual(['concurrently-in-transaction']);
  });

  it('passes an index on a table created in the same revision, or earlier in the same run', () => {
    expect(
      ruleIds(
        lint(`
op.create_table("fresh", sa.Column("id", sa.Integer(), primary_key=True))
op.create_index("ix_fresh_id", "fresh", ["id"])`),
      ),
    ).toEqual([]);
    const later = summarize(`op.create_index("ix_fresh_id", "fresh", ["id"])`, 'r2');
    const first = summarize(`op.create_table("fresh", sa.Column("id", sa.Integer(), primary_key=True))`);
    expect(lintMigrations([first, later], existing)).toEqual([]);
    expect(ruleIds(lintMigration(later, existing))).toEqual([
      'create-index-not-concurrently',
      'lock-on-existing-table',
    ]);
  });
});

describe('columns', () => {
  it('fails a NOT NULL column without a default on an existing table', () => {
    const findings = lint(`op.add_column("accounts", sa.Column("tier", sa.Text(), nullable=False))`);
    expect(findings[0]).toMatchObject({
      ruleId: 'add-column-not-null-without-default',
      severity: 'error',
      table: 'accounts',
      lock: 'AccessExclusiveLock',
    });
  });

  it('passes it with a default, or nullable', () => {
    expect(
      ruleIds(
        lint(
          `op.add_column("accounts", sa.Column("tier", sa.Text(), nullable=False, server_default="free"))`,
        ),
      ),
    ).toEqual(['lock-on-existing-table']);
    expect(ruleIds(lint(`op.add_column("accounts", sa.Column("tier", sa.Text(), nullable=True))`))).toEqual([
      'lock-on-existing-table',
    ]);
  });

  it('warns about a per-row default that rewrites the table', () => {
    expect(
      ruleIds(lint(`op.execute("ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid()")`)),
    ).toContain('add-column-volatile-default');
    expect(ruleIds(lint(`op.execute("ALTER TABLE accounts ADD COLUMN n bigserial")`))).toContain(
      'add-column-volatile-default',
    );
  });

  it('warns about a type change that rewrites (slow, not failing: the size decides), passes a widening', () => {
    const rewrite = lint(
      `op.alter_column("accounts", "id", existing_type=sa.Integer(), type_=sa.BigInteger())`,
    );
    expect(rewrite[0]).toMatchObject({
      ruleId: 'column-type-change-rewrites-table',
      severity: 'warning',
      lock: 'AccessExclusiveLock',
      lockWork: 'rewrite',
    });
    expect(rewrite[0]?.message).toContain('from INTEGER to BIGINT');
    expect(
      ruleIds(lint(`op.alter_column("accounts", "name", existing_type=sa.String(50), type_=sa.String(100))`)),
    ).not.toContain('column-type-change-rewrites-table');
    expect(lint(`op.execute("ALTER TABLE accounts ALTER COLUMN id TYPE bigint")`)[0]).toMatchObject({
      ruleId: 'column-type-change-rewrites-table',
      severity: 'warning',
    });
  });

  it('warns about SET NOT NULL on an existing table', () => {
    expect(
      ruleIds(lint(`op.alter_column("accounts", "email", existing_type=sa.Text(), nullable=False)`)),
    ).toContain('set-not-null-scans-table');
  });

  it('warns about dropping or renaming columns and tables', () => {
    expect(
      ruleIds(
        lint(`
op.drop_column("accounts", "legacy")
op.alter_column("accounts", "name", new_column_name="full_name")
op.rename_table("users", "people")
op.drop_table("organizations")`),
      ).filter((id) => id !== 'lock-on-existing-table'),
    ).toEqual(['drop-column', 'rename-column', 'rename-table', 'drop-table']);
  });
});

describe('constraints', () => {
  it('warns about a foreign key or check added without NOT VALID, naming both locks', () => {
    const findings = lint(`
op.create_foreign_key("fk_acc_org", "accounts", "organizations", ["org_id"], ["id"])
op.create_check_constraint("ck_acc_balance", "accounts", "balance >= 0")`);
    expect(findings.slice(0, 2)).toMatchObject([
      { ruleId: 'constraint-without-not-valid', lock: 'ShareRowExclusiveLock', table: 'accounts' },
      { ruleId: 'constraint-without-not-valid', lock: 'AccessExclusiveLock', table: 'accounts' },
    ]);
  });

  it('passes NOT VALID followed by VALIDATE', () => {
    const findings = lint(`
op.execute("ALTER TABLE accounts ADD CONSTRAINT fk_acc_org FOREIGN KEY (org_id) REFERENCES organizations (id) NOT VALID")
op.execute("ALTER TABLE accounts VALIDATE CONSTRAINT fk_acc_org")`);
    expect(ruleIds(findings)).toEqual(['lock-on-existing-table', 'lock-on-existing-table']);
  });

  it('warns about a UNIQUE constraint that builds its index under an exclusive lock', () => {
    expect(ruleIds(lint(`op.create_unique_constraint("uq_email", "accounts", ["email"])`))).toContain(
      'unique-constraint-builds-index',
    );
  });
});

describe('enum values and transactions', () => {
  it('fails using a new enum value in the transaction that added it', () => {
    const findings = lintMigration(
      summarizeSql(
        'e1',
        `BEGIN;
ALTER TYPE coordinator_action_type ADD VALUE 'stage_changed';
UPDATE coordinator_actions SET action_type = 'stage_changed' WHERE id = 1;
COMMIT;`,
      ),
      existing,
    );
    expect(findings[0]).toMatchObject({
      ruleId: 'enum-value-used-in-same-transaction',
      severity: 'error',
      line: 3,
    });
  });

  it('passes when the value was committed first (autocommit block, or COMMIT in SQL)', () => {
    const findings = lint(`
with op.get_context().autocommit_block():
    op.execute("ALTER TYPE coordinator_action_type ADD VALUE 'stage_changed'")
op.execute("UPDATE coordinator_actions SET action_type = 'stage_changed' WHERE id = 1")`);
    expect(ruleIds(findings)).not.toContain('enum-value-used-in-same-transaction');
  });

  it('follows the value into the next revision of the same upgrade transaction', () => {
    const add = summarize(`op.execute("ALTER TYPE kind ADD VALUE 'gold'")`, 'a');
    const use = summarize(`op.alter_column("accounts", "kind", server_default="gold")`, 'b');
    expect(ruleIds(lintMigrations([add, use], existing))).toContain('enum-value-used-in-same-transaction');
    expect(ruleIds(lintMigrations([add, use], { ...existing, transactionPerMigration: true }))).not.toContain(
      'enum-value-used-in-same-transaction',
    );
  });
});

describe('locks and unreadable statements', () => {
  it('reports the strongest lock per existing table, and when lock_timeout is set drops the advice', () => {
    const findings = lint(`
op.add_column("accounts", sa.Column("a", sa.Text()))
op.add_column("accounts", sa.Column("b", sa.Text()))
op.create_table("notes", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id")))`);
    expect(findings).toMatchObject([
      { ruleId: 'lock-on-existing-table', severity: 'info', table: 'accounts', lock: 'AccessExclusiveLock' },
    ]);
    expect(findings[0]?.message).toContain('(3 statements)');
    expect(findings[0]?.safeAlternative).toContain('lock_timeout');
    const withTimeout = lint(`
op.execute("SET lock_timeout = '5s'")
op.add_column("accounts", sa.Column("a", sa.Text()))`);
    expect(withTimeout[0]?.safeAlternative).toBeUndefined();
  });

  it('reports SQL that does not parse, and SQL it cannot see', () => {
    expect(lint(`op.execute("ALTER TABLE accounts ADD COLUMN")`)).toMatchObject([
      { ruleId: 'sql-syntax-error', severity: 'error' },
    ]);
    expect(lint(`op.execute(make_sql())`)).toMatchObject([
      { ruleId: 'statement-not-analysed', severity: 'warning' },
    ]);
  });

  it('warns about an UPDATE of every row of an existing table', () => {
    expect(ruleIds(lint(`op.execute("UPDATE accounts SET tier = 'free'")`))).toContain(
      'update-without-where',
    );
    expect(ruleIds(lint(`op.execute("UPDATE accounts SET tier = 'free' WHERE tier IS NULL")`))).not.toContain(
      'update-without-where',
    );
  });
});
