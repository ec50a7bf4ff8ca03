// Forms real Alembic histories use that the lint once reported as errors although PostgreSQL
// runs them: each example is the shape the Alembic and SQLAlchemy documentation itself shows.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RevisionScript } from '../alembic/parse-revision-script.js';
import type { MigrationFinding } from './finding.js';
import { lintMigration, lintMigrations } from './lint.js';
import { initSqlParser, summarizeRevisionScript } from './summarize.js';

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

const source = (body: string) =>
  `from alembic import op\nimport sqlalchemy as sa\nfrom sqlalchemy import text\n\n\ndef upgrade():\n${body
    .trim()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')}\n`;

const summarize = (body: string, revision = 'r1') => summarizeRevisionScript(script(revision), source(body));
const lint = (body: string) =>
  lintMigration(summarize(body), { existingTables: ['variable', 'account', 'providers'] });
const errors = (findings: MigrationFinding[]) => findings.filter((f) => f.severity === 'error');
const ruleIds = (findings: MigrationFinding[]) => findings.map((f) => f.ruleId);

describe('bound parameters in raw SQL are placeholders, not syntax errors', () => {
  it('op.execute(sa.text(…).bindparams(…))', () => {
    const findings = lint(`
op.execute(
    sa.text("UPDATE variable SET json_value = :json_value WHERE id = :id").bindparams(
        json_value="{}", id=1
    )
)`);
    expect(errors(findings)).toEqual([]);
    expect(ruleIds(findings)).not.toContain('statement-not-analysed');
    // Shown as written, and understood: a filtered UPDATE of variable
    expect(
      summarize(`op.execute(sa.text("UPDATE variable SET a = :a WHERE id = :id").bindparams(a=1, id=2))`)
        .statements[0],
    ).toMatchObject({
      operation: 'UPDATE',
      text: 'UPDATE variable SET a = :a WHERE id = :id',
      changes: [{ kind: 'dataChange', table: 'variable', verb: 'update', filtered: true }],
    });
  });

  it('op.get_bind().execute(text(…), params)', () => {
    const findings = lint(`
connection = op.get_bind()
connection.execute(
    text("UPDATE account SET status = :status WHERE name = :name"),
    {"status": "active", "name": "some name"},
)`);
    expect(errors(findings)).toEqual([]);
    expect(ruleIds(findings)).toEqual(['lock-on-existing-table'].filter(() => false));
  });

  it('op.execute with a plain string: Alembic wraps it in text(), so `:name` is a parameter there too', () => {
    expect(errors(lint(`op.execute("DELETE FROM account WHERE name = :name")`))).toEqual([]);
  });

  it('psycopg2 parameters in exec_driver_sql: %(name)s and %s', () => {
    const findings = lint(`
bind = op.get_bind()
bind.exec_driver_sql("UPDATE account SET name = %(name)s WHERE id = %s", {"name": "x"})`);
    expect(errors(findings)).toEqual([]);
  });

  it('`?` of a qmark driver in exec_driver_sql, while `?` stays the JSONB operator where it is one', () => {
    expect(
      errors(lint(`op.get_bind().exec_driver_sql("UPDATE account SET name = ? WHERE id = ?", ("x", 1))`)),
    ).toEqual([]);
    expect(errors(lint(`op.execute("UPDATE account SET flag = true WHERE data ? 'key'")`))).toEqual([]);
  });

  it('casts, quoted colons and escaped colons are not parameters', () => {
    expect(
      errors(
        lint(
          `op.execute(text("UPDATE account SET opens = '10:30'::time, name = :name WHERE note = E'a:b'"))`,
        ),
      ),
    ).toEqual([]);
    expect(errors(lint(`op.execute(text("UPDATE account SET opens = '10:30'\\\\:\\\\:time"))`))).toEqual([]);
  });

  it('still reports SQL that PostgreSQL rejects, parameters or not', () => {
    expect(errors(lint(`op.execute(text("UPDATE account SETT name = :name"))`))).toMatchObject([
      { ruleId: 'sql-syntax-error' },
    ]);
  });
});

describe('code for another dialect is not analysed as PostgreSQL', () => {
  it('if op.get_context().dialect.name == "mysql": skipped with an info finding', () => {
    const findings = lint(`
if op.get_context().dialect.name == "mysql":
    op.execute("ALTER TABLE account MODIFY name VARCHAR(100) NOT NULL")`);
    expect(errors(findings)).toEqual([]);
    expect(findings).toMatchObject([
      {
        ruleId: 'dialect-branch-not-analysed',
        severity: 'info',
        line: 8,
        message: expect.stringContaining('not analysed for PostgreSQL'),
      },
    ]);
  });

  it('bind.dialect.name: the PostgreSQL branch is analysed (not as conditional), the others are skipped', () => {
    const summary = summarize(`
bind = op.get_bind()
if bind.dialect.name == "sqlite":
    op.execute("PRAGMA foreign_keys=OFF")
elif bind.dialect.name in ("mysql", "mariadb"):
    op.execute("ALTER TABLE account MODIFY name VARCHAR(100)")
else:
    op.execute("ALTER TABLE account ALTER COLUMN name SET NOT NULL")`);
    expect(summary.statements).toMatchObject([{ operation: 'ALTER TABLE', conditional: false }]);
    const findings = lintMigration(summary, { existingTables: ['account'] });
    expect(errors(findings)).toEqual([]);
    expect(findings.filter((f) => f.ruleId === 'dialect-branch-not-analysed')).toHaveLength(2);
    expect(ruleIds(findings)).toContain('set-not-null-scans-table');
  });

  it('str(bind.engine.url).startswith("mysql"), and the else of a PostgreSQL test', () => {
    const findings = lint(`
bind = op.get_bind()
if str(bind.engine.url).startswith("mysql"):
    op.execute("ALTER TABLE account CHANGE COLUMN name full_name VARCHAR(100)")
if bind.dialect.name == "postgresql":
    op.execute("ALTER TABLE account RENAME COLUMN name TO full_name")
else:
    op.execute("ALTER TABLE account CHANGE name full_name VARCHAR(100)")`);
    expect(errors(findings)).toEqual([]);
    expect(findings.filter((f) => f.ruleId === 'dialect-branch-not-analysed')).toMatchObject([
      { line: 9, message: expect.stringContaining('str(bind.engine.url).startswith("mysql")') },
      { line: 13, message: expect.stringContaining('is false, and it is true on PostgreSQL') },
    ]);
    expect(ruleIds(findings)).toContain('rename-column');
  });

  it('a flag computed from the dialect, and `return` for other dialects', () => {
    const findings = lint(`
is_sqlite = op.get_bind().dialect.name == "sqlite"
if is_sqlite:
    op.execute("ALTER TABLE account ADD COLUMN x INTEGER NOT NULL DEFAULT 0 CHECK (x >= 0) ON CONFLICT ABORT")
if op.get_bind().dialect.name != "postgresql":
    return
op.add_column("account", sa.Column("y", sa.Integer(), nullable=True))`);
    expect(errors(findings)).toEqual([]);
    expect(ruleIds(findings).filter((id) => id === 'dialect-branch-not-analysed')).toHaveLength(2);
  });

  it('a condition that is not about the dialect keeps its branches, as code that may run', () => {
    const summary = summarize(`
if some_flag:
    op.execute("ALTER TABLE account ALTER COLUMN name SET NOT NULL")`);
    expect(summary.statements).toMatchObject([{ conditional: true }]);
    expect(summary.findings).toEqual([]);
  });
});

describe('a column added with a default the database fills in', () => {
  it('autoincrement=True is SERIAL: a rewrite to weigh, not "NOT NULL without a default"', () => {
    const findings = lint(
      `op.add_column("account", sa.Column("id", sa.Integer, primary_key=True, autoincrement=True))`,
    );
    expect(errors(findings)).toEqual([]);
    expect(findings[0]).toMatchObject({
      ruleId: 'add-column-volatile-default',
      severity: 'warning',
      lockWork: 'rewrite',
    });
    expect(findings[0]?.message).toContain('SERIAL');
  });

  it('an integer primary key added alone autoincrements as SERIAL; BigInteger as BIGSERIAL', () => {
    const findings = lint(`op.add_column("account", sa.Column("id", sa.BigInteger(), primary_key=True))`);
    expect(errors(findings)).toEqual([]);
    expect(findings[0]?.message).toContain('BIGSERIAL');
    // autoincrement=False: a plain NOT NULL integer, which fails on a table with rows
    expect(
      errors(
        lint(`op.add_column("account", sa.Column("id", sa.Integer, primary_key=True, autoincrement=False))`),
      ),
    ).toMatchObject([{ ruleId: 'add-column-not-null-without-default' }]);
  });

  it('sa.Identity()', () => {
    const findings = lint(
      `op.add_column("account", sa.Column("id", sa.Integer, sa.Identity(start=1, cycle=True), nullable=False))`,
    );
    expect(errors(findings)).toEqual([]);
    expect(findings[0]).toMatchObject({ ruleId: 'add-column-volatile-default' });
    expect(findings[0]?.message).toContain('GENERATED BY DEFAULT AS IDENTITY');
  });

  it('GENERATED … AS IDENTITY in SQL', () => {
    expect(
      errors(
        lint(`op.execute("ALTER TABLE account ADD COLUMN id bigint NOT NULL GENERATED ALWAYS AS IDENTITY")`),
      ),
    ).toEqual([]);
  });

  it('server_default=sa.text(…) and a default via a sequence', () => {
    expect(
      ruleIds(
        lint(
          `op.add_column("account", sa.Column("created_at", sa.DateTime(), server_default=sa.text("now()"), nullable=False))`,
        ),
      ),
    ).toEqual(['lock-on-existing-table']);
    expect(
      errors(
        lint(
          `op.add_column("account", sa.Column("n", sa.Integer, sa.Sequence("account_n_seq"), nullable=False))`,
        ),
      ),
    ).toEqual([]);
    expect(
      errors(
        lint(
          `op.add_column("account", sa.Column("n", sa.Integer, server_default=sa.text("nextval('account_n_seq')"), nullable=False))`,
        ),
      ),
    ).toEqual([]);
  });

  it('still an error: a Python-side default=, which SQLAlchemy never puts in the DDL', () => {
    expect(
      errors(
        lint(`op.add_column("account", sa.Column("active", sa.Boolean(), nullable=False, default=True))`),
      ),
    ).toMatchObject([{ ruleId: 'add-column-not-null-without-default' }]);
  });
});

describe('a table known to be empty', () => {
  it('a NOT NULL column added to a table created earlier in the same revision cannot fail', () => {
    const findings = lint(`
op.create_table("invoice", sa.Column("id", sa.Integer, primary_key=True))
op.add_column("invoice", sa.Column("number", sa.String(20), nullable=False))
op.execute("ALTER TABLE invoice ADD COLUMN total numeric NOT NULL")`);
    expect(findings).toEqual([]);
  });

  it('in a release range, a table created by an earlier revision of the range is empty too', () => {
    const first = summarize(`op.create_table("invoice", sa.Column("id", sa.Integer, primary_key=True))`, 'a');
    const second = summarize(
      `op.add_column("invoice", sa.Column("number", sa.String(20), nullable=False))`,
      'b',
    );
    expect(errors(lintMigrations([first, second], { existingTables: [] }))).toEqual([]);
    // Over a whole history without a range each revision stands alone: invoice may hold rows
    expect(errors(lintMigration(second, { existingTables: [] }))).toMatchObject([
      { ruleId: 'add-column-not-null-without-default', revision: 'b' },
    ]);
  });
});
