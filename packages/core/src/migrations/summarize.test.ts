import { beforeAll, describe, expect, it } from 'vitest';
import type { RevisionScript } from '../alembic/parse-revision-script.js';
import { initSqlParser, summarizeRevisionScript, summarizeSql } from './summarize.js';

beforeAll(initSqlParser);

const script: RevisionScript = {
  file: 'r1_test.py',
  revision: 'r1',
  downRevisions: ['r0'],
  branchLabels: [],
  dependsOn: [],
  message: null,
  createDate: null,
};

const summarize = (body: string, prelude = '') =>
  summarizeRevisionScript(
    script,
    `from alembic import op\nimport sqlalchemy as sa\nfrom sqlalchemy.dialects import postgresql\n${prelude}\n\ndef upgrade():\n${body
      .trim()
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n')}\n\ndef downgrade():\n    op.drop_table("accounts")\n`,
  );

describe('summarizeRevisionScript: Alembic operations', () => {
  it('reads op.create_table with types, nullability, defaults, keys and table constraints', () => {
    const summary = summarize(`
op.create_table(
    "accounts",
    sa.Column("id", sa.BigInteger(), primary_key=True),
    sa.Column("org_id", sa.Integer, sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False),
    sa.Column("email", sa.String(255), nullable=False, unique=True),
    sa.Column("balance", sa.Numeric(12, 2), server_default="0"),
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    sa.Column("tags", postgresql.ARRAY(sa.Text())),
    sa.Column("kind", sa.Enum("a", "b", name="account_kind")),
    sa.Column("slug", sa.String(40), index=True),
    sa.UniqueConstraint("org_id", "email", name="uq_accounts_org_email"),
    sa.CheckConstraint("balance >= 0", name="ck_balance"),
)`);
    expect(summary.tablesDropped).toEqual([]); // downgrade() is not counted
    const [table] = summary.tablesCreated;
    expect(table?.name).toBe('accounts');
    expect(table?.columns.map((c) => [c.name, c.type, c.nullable, c.default])).toEqual([
      ['id', 'BIGINT', false, null],
      ['org_id', 'INTEGER', false, null],
      ['email', 'VARCHAR(255)', false, null],
      ['balance', 'NUMERIC(12, 2)', true, "'0'"],
      ['created_at', 'TIMESTAMP WITH TIME ZONE', true, 'now()'],
      ['tags', 'TEXT[]', true, null],
      ['kind', 'account_kind', true, null],
      ['slug', 'VARCHAR(40)', true, null],
    ]);
    expect(table?.columns[0]?.primaryKey).toBe(true);
    expect(table?.columns[2]?.unique).toBe(true);
    expect(summary.foreignKeys).toMatchObject([
      {
        table: 'accounts',
        columns: ['org_id'],
        references: { table: 'organizations', columns: ['id'], onDelete: 'CASCADE' },
      },
    ]);
    expect(summary.enumTypesCreated).toEqual([{ type: 'account_kind', values: ['a', 'b'] }]);
    expect(summary.indexesCreated).toMatchObject([{ name: 'ix_accounts_slug', columns: ['slug'] }]);
    expect(summary.statements[0]?.locks).toEqual([
      { table: 'accounts', mode: 'AccessExclusiveLock' },
      { table: 'organizations', mode: 'ShareRowExclusiveLock' },
    ]);
  });

  it('reads add/drop/alter/rename column with keyword or positional arguments', () => {
    const summary = summarize(`
op.add_column(table_name="accounts", column=sa.Column("note", sa.Text(), nullable=True))
op.drop_column("accounts", "legacy")
op.alter_column("accounts", "email", existing_type=sa.String(100), type_=sa.String(255), nullable=False, existing_nullable=True, server_default=None)
op.alter_column("accounts", "name", new_column_name="full_name")
op.rename_table("accounts", "customer_accounts")
op.drop_table("old_things")`);
    expect(summary.columnsAdded).toMatchObject([
      { table: 'accounts', column: { name: 'note', type: 'TEXT', nullable: true } },
    ]);
    expect(summary.columnsDropped).toEqual([{ table: 'accounts', column: 'legacy' }]);
    expect(summary.columnsAltered).toEqual([
      {
        table: 'accounts',
        column: 'email',
        type: { from: 'VARCHAR(100)', to: 'VARCHAR(255)', using: null },
        nullable: { from: true, to: false },
        default: { to: null },
      },
    ]);
    expect(summary.columnsRenamed).toEqual([{ table: 'accounts', from: 'name', to: 'full_name' }]);
    expect(summary.tablesRenamed).toEqual([{ from: 'accounts', to: 'customer_accounts' }]);
    expect(summary.tablesDropped).toEqual(['old_things']);
  });

  it('reads indexes: unique, concurrently, partial, expressions, op.f names, drops', () => {
    const summary = summarize(`
op.create_index(op.f("ix_accounts_email"), "accounts", ["email"], unique=True)
with op.get_context().autocommit_block():
    op.create_index("ix_accounts_active", "accounts", ["org_id", sa.text("lower(email)")], postgresql_concurrently=True, postgresql_where=sa.text("deleted_at IS NULL"))
op.drop_index("ix_old", table_name="accounts")`);
    expect(summary.indexesCreated).toEqual([
      {
        name: 'ix_accounts_email',
        table: 'accounts',
        columns: ['email'],
        unique: true,
        concurrently: false,
        where: null,
      },
      {
        name: 'ix_accounts_active',
        table: 'accounts',
        columns: ['org_id', 'lower(email)'],
        unique: false,
        concurrently: true,
        where: 'deleted_at IS NULL',
      },
    ]);
    expect(summary.statements.map((s) => [s.operation, s.transactional, s.strongestLock?.mode])).toEqual([
      ['op.create_index', true, 'ShareLock'],
      ['op.create_index', false, 'ShareUpdateExclusiveLock'],
      ['op.drop_index', true, 'AccessExclusiveLock'],
    ]);
    expect(summary.indexesDropped).toEqual([{ name: 'ix_old', table: 'accounts' }]);
  });

  it('reads constraint operations', () => {
    const summary = summarize(`
op.create_foreign_key("fk_a_org", "accounts", "organizations", ["org_id"], ["id"], ondelete="SET NULL")
op.create_unique_constraint("uq_a_email", "accounts", ["email"])
op.create_check_constraint("ck_a_balance", "accounts", "balance >= 0")
op.create_primary_key("pk_a", "accounts", ["id"])
op.drop_constraint("fk_old", "accounts", type_="foreignkey")`);
    expect(summary.constraintsAdded.map((c) => [c.kind, c.name, c.columns, c.expression])).toEqual([
      ['foreignKey', 'fk_a_org', ['org_id'], null],
      ['unique', 'uq_a_email', ['email'], null],
      ['check', 'ck_a_balance', [], 'balance >= 0'],
      ['primaryKey', 'pk_a', ['id'], null],
    ]);
    expect(summary.foreignKeys[0]?.references).toEqual({
      table: 'organizations',
      columns: ['id'],
      onDelete: 'SET NULL',
    });
    expect(summary.constraintsDropped).toEqual([{ table: 'accounts', name: 'fk_old' }]);
    expect(summary.statements[0]?.locks).toEqual([
      { table: 'accounts', mode: 'ShareRowExclusiveLock' },
      { table: 'organizations', mode: 'ShareRowExclusiveLock' },
    ]);
  });

  it('reads batch_alter_table operations against the batch table', () => {
    const summary = summarize(`
with op.batch_alter_table("licenses", schema=None) as batch_op:
    batch_op.add_column(sa.Column("pin", sa.Text()))
    batch_op.alter_column("state", type_=sa.String(3), existing_type=sa.String(2))
    batch_op.create_index("ix_licenses_pin", ["pin"])
    batch_op.drop_column("old")`);
    expect(summary.columnsAdded).toMatchObject([{ table: 'licenses', column: { name: 'pin' } }]);
    expect(summary.columnsAltered).toMatchObject([{ table: 'licenses', column: 'state' }]);
    expect(summary.indexesCreated).toMatchObject([{ table: 'licenses', columns: ['pin'] }]);
    expect(summary.columnsDropped).toEqual([{ table: 'licenses', column: 'old' }]);
    expect(summary.statements.every((s) => s.operation.startsWith('batch_op.'))).toBe(true);
  });

  it('reads op.execute SQL in every string form, through the PostgreSQL parser', () => {
    const summary = summarize(
      `
op.execute("ALTER TABLE accounts ADD COLUMN a text")
op.execute('''
    ALTER TABLE accounts
        ADD COLUMN b integer;
    CREATE INDEX ix_accounts_b ON accounts (b);
''')
op.execute(sa.text("ALTER TABLE accounts ADD COLUMN c jsonb"))
op.execute(f"ALTER TABLE {TABLE} ADD COLUMN d date")
op.execute("ALTER TABLE accounts " "ADD COLUMN e uuid")
conn = op.get_bind()
conn.execute(sa.text("UPDATE accounts SET a = 'x'"))`,
      'TABLE = "accounts"',
    );
    expect(summary.columnsAdded.map((c) => `${c.column.name}:${c.column.type}`)).toEqual([
      'a:TEXT',
      'b:INTEGER',
      'c:JSONB',
      'd:DATE',
      'e:UUID',
    ]);
    expect(summary.indexesCreated).toMatchObject([{ name: 'ix_accounts_b', table: 'accounts' }]);
    expect(summary.statements.map((s) => s.origin)).toEqual([
      'sql',
      'sql',
      'sql',
      'sql',
      'sql',
      'sql',
      'sql',
    ]);
    expect(summary.statements.at(-1)?.changes).toEqual([
      { kind: 'dataChange', table: 'accounts', verb: 'update', filtered: false },
    ]);
    expect(summary.statements[1]?.line).toBe(summary.statements[0]!.line! + 2);
  });

  it('keeps SQL it cannot know as a statement with a problem, not a crash', () => {
    const summary = summarize(`
op.execute(f"ALTER TABLE {table_for(env)} ADD COLUMN x int")
op.execute(build_sql())
op.add_column(name, sa.Column("y", sa.Text()))`);
    expect(summary.statements.map((s) => s.problem?.kind)).toEqual([
      'unresolved',
      'unresolved',
      'unresolved',
    ]);
    expect(summary.statements[0]?.problem?.message).toContain('table_for(env)');
    expect(summary.columnsAdded).toEqual([]);
  });

  it('follows loops over literal lists and helper functions', () => {
    const summary = summarize(
      `
for name, kind in [("a", sa.Text()), ("b", sa.Integer())]:
    op.add_column("accounts", sa.Column(name, kind, nullable=True))
_add_audit_columns("accounts")`,
      `
def _add_audit_columns(table):
    op.add_column(table, sa.Column("created_by", sa.Integer()))`,
    );
    expect(summary.columnsAdded.map((c) => `${c.table}.${c.column.name}:${c.column.type}`)).toEqual([
      'accounts.a:TEXT',
      'accounts.b:INTEGER',
      'accounts.created_by:INTEGER',
    ]);
  });

  it('reads bulk_insert values and explicit enum creation', () => {
    const summary = summarize(
      `
kind_enum.create(op.get_bind(), checkfirst=True)
op.bulk_insert(sa.table("kinds", sa.column("name")), [{"name": "gold"}, {"name": "silver"}])`,
      'kind_enum = postgresql.ENUM("gold", "silver", name="kind", create_type=False)',
    );
    expect(summary.enumTypesCreated).toEqual([{ type: 'kind', values: ['gold', 'silver'] }]);
    expect(summary.statements[1]).toMatchObject({
      changes: [{ kind: 'dataChange', table: 'kinds', verb: 'insert' }],
      literals: ['gold', 'silver'],
    });
  });

  it('reports a script without upgrade() and one that does not parse', () => {
    const noUpgrade = summarizeRevisionScript(script, 'revision = "r1"\n');
    expect(noUpgrade.findings).toMatchObject([{ ruleId: 'no-upgrade-function' }]);
    const broken = summarizeRevisionScript(script, 'def upgrade(:\n    op.drop_table("x")\n');
    expect(broken.findings.map((f) => f.ruleId)).toContain('summary-incomplete');
  });
});

describe('summarizeSql', () => {
  it('reads a SQL file, tracking BEGIN/COMMIT', () => {
    const summary = summarizeSql(
      'r2',
      `CREATE TYPE mood AS ENUM ('ok', 'sad');
BEGIN;
CREATE TABLE people (id bigserial PRIMARY KEY, name varchar(80) NOT NULL DEFAULT 'anon', mood mood, born timestamptz DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT ck_name CHECK (length(name) > 0));
ALTER TABLE people ADD CONSTRAINT fk_x FOREIGN KEY (id) REFERENCES others(id) NOT VALID;
ALTER TABLE people ALTER COLUMN name TYPE text, ALTER COLUMN name DROP DEFAULT;
ALTER TYPE mood ADD VALUE 'happy';
DROP INDEX CONCURRENTLY IF EXISTS ix_gone;
COMMIT;`,
    );
    expect(summary.enumTypesCreated).toEqual([{ type: 'mood', values: ['ok', 'sad'] }]);
    expect(summary.tablesCreated[0]?.columns.map((c) => [c.name, c.type, c.nullable, c.default])).toEqual([
      ['id', 'BIGSERIAL', false, null],
      ['name', 'VARCHAR(80)', false, "'anon'"],
      ['mood', 'mood', true, null],
      ['born', 'TIMESTAMP WITH TIME ZONE', true, 'CURRENT_TIMESTAMP'],
    ]);
    expect(summary.constraintsAdded).toMatchObject([{ kind: 'foreignKey', name: 'fk_x', notValid: true }]);
    expect(summary.columnsAltered).toEqual([
      { table: 'people', column: 'name', type: { from: null, to: 'TEXT', using: null } },
      { table: 'people', column: 'name', default: { to: null } },
    ]);
    expect(summary.enumValuesAdded).toEqual([{ type: 'mood', value: 'happy' }]);
    expect(summary.indexesDropped).toEqual([{ name: 'ix_gone', table: null }]);
    expect(summary.statements.map((s) => s.transactional)).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it('counts the story’s consolidated SQL the same way as its scripts', async () => {
    const { readFixture } = await import('../__fixtures__/read-fixture-folder.js');
    const { fileURLToPath } = await import('node:url');
    const sql = readFixture(
      fileURLToPath(new URL('./__fixtures__/sql/production_migrations.sql', import.meta.url)),
    );
    expect(summarizeSql('story', sql).counts).toEqual({ tables: 3, columns: 22, indexes: 7, enumValues: 1 });
  });
});
