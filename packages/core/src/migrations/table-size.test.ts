import { beforeAll, describe, expect, it } from 'vitest';
import type { RevisionScript } from '../alembic/parse-revision-script.js';
import { lintMigration } from './lint.js';
import { initSqlParser, summarizeRevisionScript } from './summarize.js';
import { formatBytes, formatDuration, weighFindings } from './table-size.js';

beforeAll(initSqlParser);

const script: RevisionScript = {
  file: 'r1.py',
  revision: 'r1',
  downRevisions: [],
  branchLabels: [],
  dependsOn: [],
  message: null,
  createDate: null,
};
const lint = (body: string) =>
  lintMigration(
    summarizeRevisionScript(
      script,
      `from alembic import op\nimport sqlalchemy as sa\n\ndef upgrade():\n    ${body}\n`,
    ),
    { existingTables: ['providers'] },
  );
const typeChange = () =>
  lint(
    `op.alter_column("providers", "npi", existing_type=sa.String(20), type_=sa.BigInteger(), postgresql_using="npi::bigint")`,
  );
const GB = 1024 ** 3;

describe('findings weighed by the live table', () => {
  it('a rewrite under ACCESS EXCLUSIVE on a 20 GB table is an error that says how long every query waits', () => {
    const [finding] = weighFindings(
      typeChange(),
      new Map([['providers', { rows: 40_000_000, bytes: 20 * GB }]]),
    );
    expect(finding).toMatchObject({
      ruleId: 'column-type-change-rewrites-table',
      severity: 'error',
      tableSize: { rows: 40_000_000, bytes: 20 * GB, lockSeconds: 204.8 },
    });
    expect(finding?.message).toContain(
      'providers: 40 million rows, 20 GB: about 3 min rewriting it, with every query on providers waiting.',
    );
  });

  it('the same rewrite on a table of 200 rows is an info', () => {
    const [finding] = weighFindings(typeChange(), new Map([['providers', { rows: 200, bytes: 49_152 }]]));
    expect(finding).toMatchObject({ severity: 'info', tableSize: { rows: 200, bytes: 49_152 } });
    expect(finding?.message).toContain('providers: 200 rows, 48 kB: under a second rewriting it');
  });

  it('in between (not large, longer than a second) it stays a warning; thresholds and the rate are settings', () => {
    const size = new Map([['providers', { rows: 300_000, bytes: 500 * 1024 ** 2 }]]);
    const settings = { rewriteMBPerSecond: 100, largeTableRows: 1_000_000, largeTableBytes: GB };
    expect(weighFindings(typeChange(), size, settings)[0]).toMatchObject({ severity: 'warning' });
    expect(weighFindings(typeChange(), size, { ...settings, largeTableRows: 100_000 })[0]).toMatchObject({
      severity: 'error',
    });
    expect(weighFindings(typeChange(), size, { ...settings, rewriteMBPerSecond: 1000 })[0]).toMatchObject({
      severity: 'info',
      tableSize: { lockSeconds: 0.5 },
    });
  });

  it('an index build without CONCURRENTLY keeps writes waiting; a finding on a table the database lacks is left alone', () => {
    const findings = lint(`op.create_index("ix_npi", "providers", ["npi"])`);
    const [weighed] = weighFindings(findings, new Map([['providers', { rows: 5_000_000, bytes: 2 * GB }]]));
    expect(weighed).toMatchObject({ ruleId: 'create-index-not-concurrently', severity: 'error' });
    expect(weighed?.message).toContain('building the index, with every write to providers waiting');
    expect(weighFindings(findings, new Map())).toEqual(findings);
  });

  it('errors that fail whatever the size stay errors, with the size added', () => {
    const findings = lint(`op.add_column("providers", sa.Column("npi", sa.String(10), nullable=False))`);
    const [weighed] = weighFindings(findings, new Map([['providers', { rows: 200, bytes: 49_152 }]]));
    expect(weighed).toMatchObject({
      ruleId: 'add-column-not-null-without-default',
      severity: 'error',
      tableSize: { rows: 200, lockSeconds: null },
    });
    expect(weighed?.message).toContain('(providers: 200 rows, 48 kB.)');
  });

  it('formats sizes and durations for people', () => {
    expect(formatBytes(20 * GB)).toBe('20 GB');
    expect(formatBytes(1536)).toBe('1.5 kB');
    expect(formatDuration(0.2)).toBe('under a second');
    expect(formatDuration(40)).toBe('about 40 s');
    expect(formatDuration(7200)).toBe('about 2.0 h');
  });
});
