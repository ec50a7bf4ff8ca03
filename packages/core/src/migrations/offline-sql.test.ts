import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFixture } from '../__fixtures__/read-fixture-folder.js';
import { lintMigrations } from './lint.js';
import { offlineRevisionMarkers, summarizeOfflineSql } from './offline-sql.js';
import { initSqlParser } from './summarize.js';

beforeAll(initSqlParser);

const sql = readFixture(fileURLToPath(new URL('./__fixtures__/sql/offline_upgrade.sql', import.meta.url)));

describe("Alembic's offline --sql output", () => {
  it('finds the revision markers', () => {
    expect(offlineRevisionMarkers(sql).map((m) => [m.from.join(','), m.revision])).toEqual([
      ['20260115_0200', '20260115_0300'],
      ['20260115_0300', '20260127_0100'],
      ['20260127_0100', '7702d353e5b8'],
      ['7702d353e5b8', '20260131_0000'],
    ]);
    expect(offlineRevisionMarkers('-- Running upgrade  -> 0001\nSELECT 1;')).toMatchObject([
      { revision: '0001', from: [] },
    ]);
  });

  it('attributes each statement to its revision', () => {
    const summaries = summarizeOfflineSql(sql, 'upgrade.sql');
    expect(summaries.map((s) => [s.revision, s.counts])).toEqual([
      ['20260115_0300', { tables: 1, columns: 0, indexes: 4, enumValues: 0 }],
      ['20260127_0100', { tables: 0, columns: 0, indexes: 0, enumValues: 1 }],
      ['7702d353e5b8', { tables: 1, columns: 0, indexes: 1, enumValues: 0 }],
      ['20260131_0000', { tables: 0, columns: 2, indexes: 1, enumValues: 0 }],
    ]);
    const enumStatement = summaries[1]!.statements.find((s) => s.operation === 'ALTER TYPE ADD VALUE');
    expect(enumStatement?.transactional).toBe(false); // Alembic's autocommit_block printed COMMIT before it
    expect(summaries[0]!.tablesCreated[0]?.columns).toHaveLength(14);
  });

  it('lints the offline script: the index on providers is flagged, the quoted `references` is not', () => {
    const findings = lintMigrations(summarizeOfflineSql(sql), {
      existingTables: ['providers', 'users', 'organizations'],
    });
    const notable = findings.filter((f) => f.severity !== 'info').map((f) => [f.revision, f.ruleId, f.table]);
    expect(notable).toEqual([['20260131_0000', 'create-index-not-concurrently', 'providers']]);
  });
});
