import { scanSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { initSqlParser, parseSqlStatements, sqlComments } from './pg-parser.js';
import { isReservedKeyword, reservedKeywords, reservedTypeOrFunctionKeywords } from './reserved-keywords.js';

beforeAll(initSqlParser);

describe('reserved keyword list', () => {
  it('matches what the PostgreSQL scanner classifies as reserved', () => {
    const classify = (word: string) => scanSync(word).tokens?.[0]?.keywordName;
    for (const word of reservedKeywords) expect([word, classify(word)]).toEqual([word, 'RESERVED_KEYWORD']);
    for (const word of reservedTypeOrFunctionKeywords)
      expect([word, classify(word)]).toEqual([word, 'TYPE_FUNC_NAME_KEYWORD']);
  });

  it('does not treat ordinary or non-reserved key words as reserved', () => {
    expect(isReservedKeyword('REFERENCES')).toBe(true);
    expect(isReservedKeyword('name')).toBe(false);
    expect(isReservedKeyword('type')).toBe(false); // non-reserved: a valid column name
    expect(isReservedKeyword('home_address')).toBe(false);
  });
});

describe('parseSqlStatements', () => {
  it('splits statements at the parser’s boundaries, not at semicolons inside strings', () => {
    const statements = parseSqlStatements(`SELECT 'a;b';\n-- note\nCREATE TABLE t (id int);`);
    expect(statements.map((s) => s.text)).toEqual([
      `SELECT 'a;b'`,
      `-- note\nCREATE TABLE t (id int)`.slice(8),
    ]);
    expect(statements.every((s) => s.error === null && s.node !== null)).toBe(true);
  });

  it('keeps character offsets right after non-ASCII text', () => {
    const sql = `-- café\nSELECT 1;\nSELECT 2;`;
    const statements = parseSqlStatements(sql);
    expect(statements.map((s) => sql.slice(s.offset, s.offset + s.text.length))).toEqual([
      'SELECT 1',
      'SELECT 2',
    ]);
  });

  it('turns an unquoted reserved word into a finding-ready fact and still reads the statement', () => {
    const [statement] = parseSqlStatements('ALTER TABLE providers ADD COLUMN references JSONB');
    expect(statement?.error).toBeNull();
    expect(statement?.unquotedReservedWords).toEqual(['references']);
    expect(JSON.stringify(statement?.node)).toContain('"colname":"references"');
  });

  it('accepts the reserved word when it is quoted', () => {
    const [statement] = parseSqlStatements('ALTER TABLE providers ADD COLUMN "references" JSONB');
    expect(statement?.unquotedReservedWords).toEqual([]);
    expect(statement?.error).toBeNull();
  });

  it('isolates a statement that does not parse and reads the others', () => {
    const statements = parseSqlStatements('CREATE TABLE a (id int);\nSELEC 1;\nDROP TABLE b;');
    expect(statements.map((s) => [s.text, s.error === null])).toEqual([
      ['CREATE TABLE a (id int)', true],
      ['SELEC 1', false],
      ['DROP TABLE b', true],
    ]);
    expect(statements[1]?.error).toContain('syntax error');
  });

  it('does not "repair" a statement that is wrong for another reason', () => {
    // quoting would make both parse ("SELECT FROM "from" t"), but that is not what anyone meant
    for (const sql of ['SELECT FROM FROM t', 'SELECT 1 FROM WHERE']) {
      const [statement] = parseSqlStatements(sql);
      expect(statement?.error).toContain('syntax error');
      expect(statement?.unquotedReservedWords).toEqual([]);
    }
    const [columns] = parseSqlStatements('CREATE TABLE t (id int, user text, order int)');
    expect(columns?.unquotedReservedWords).toEqual(['user', 'order']);
  });

  it('finds comments (Alembic marks revisions with them in --sql output)', () => {
    expect(sqlComments('-- Running upgrade a -> b\nSELECT 1; /* x */').map((c) => c.text)).toEqual([
      '-- Running upgrade a -> b',
      '/* x */',
    ]);
  });
});
