import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSqlText } from './analyze-sql.js';
import { initSqlParser } from './pg-parser.js';

beforeAll(initSqlParser);

const analyze = (sql: string) => analyzeSqlText(sql, { inTransaction: false });

describe('analyzeSqlText', () => {
  it('estimates the strongest lock of each statement and on which table', () => {
    const statements = analyze(`
CREATE INDEX CONCURRENTLY ix_a ON accounts (email);
CREATE INDEX ix_b ON accounts (lower(email)) WHERE deleted_at IS NULL;
ALTER TABLE accounts ADD CONSTRAINT fk FOREIGN KEY (org_id) REFERENCES orgs (id);
ALTER TABLE accounts VALIDATE CONSTRAINT fk;
ALTER TABLE accounts SET (fillfactor = 70);
LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE;
CREATE TRIGGER t BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION f();
TRUNCATE accounts;
DELETE FROM accounts WHERE id = 1;
SELECT 1;`);
    expect(
      statements.map((s) => s.strongestLock && `${s.strongestLock.mode} ${s.strongestLock.table}`),
    ).toEqual([
      'ShareUpdateExclusiveLock accounts',
      'ShareLock accounts',
      'ShareRowExclusiveLock accounts',
      'ShareUpdateExclusiveLock accounts',
      'ShareUpdateExclusiveLock accounts',
      'ShareRowExclusiveLock accounts',
      'ShareRowExclusiveLock accounts',
      'AccessExclusiveLock accounts',
      'RowExclusiveLock accounts',
      null,
    ]);
    expect(statements[2]?.locks).toEqual([
      { table: 'accounts', mode: 'ShareRowExclusiveLock' },
      { table: 'orgs', mode: 'ShareRowExclusiveLock' },
    ]);
    expect(statements[1]?.changes).toEqual([
      {
        kind: 'createIndex',
        index: {
          name: 'ix_b',
          table: 'accounts',
          columns: ['lower(email)'],
          unique: false,
          concurrently: false,
          where: 'deleted_at IS NULL',
        },
      },
    ]);
  });

  it('reads renames, drops and schema-qualified names', () => {
    const statements = analyze(`
ALTER TABLE billing.invoices RENAME TO bills;
ALTER TABLE public.accounts RENAME COLUMN name TO full_name;
DROP TABLE IF EXISTS a, b;
DROP TYPE mood;
DROP INDEX ix_old;`);
    expect(statements.flatMap((s) => s.changes)).toEqual([
      { kind: 'renameTable', table: 'billing.invoices', newName: 'bills' },
      { kind: 'renameColumn', table: 'accounts', column: 'name', newName: 'full_name' },
      { kind: 'dropTable', table: 'a' },
      { kind: 'dropTable', table: 'b' },
      { kind: 'dropType', type: 'mood' },
      { kind: 'dropIndex', name: 'ix_old', table: null, concurrently: false },
    ]);
  });

  it('marks what it cannot see into, and records string constants', () => {
    const [block, update] = analyze(
      `DO $$ BEGIN PERFORM 1; END $$;\nUPDATE t SET kind = 'gold' WHERE kind = 'silver';`,
    );
    expect(block?.problem?.kind).toBe('unsupported');
    expect(update?.literals).toEqual(['gold', 'silver']);
    expect(update?.line).toBe(2);
  });

  it('renders defaults and types as DDL writes them', () => {
    const [statement] = analyze(
      `CREATE TABLE t (a numeric(10,2) DEFAULT 0.5, b timestamp(3) DEFAULT now(), c boolean DEFAULT false, d text[] DEFAULT '{}'::text[], e int DEFAULT -1, f varchar DEFAULT NULL)`,
    );
    const change = statement?.changes[0];
    expect(change?.kind === 'createTable' && change.columns.map((c) => [c.type, c.default])).toEqual([
      ['NUMERIC(10, 2)', '0.5'],
      ['TIMESTAMP(3) WITHOUT TIME ZONE', 'now()'],
      ['BOOLEAN', 'false'],
      ['TEXT[]', "'{}'::text[]"],
      ['INTEGER', '-1'],
      ['VARCHAR', 'NULL'],
    ]);
  });
});
