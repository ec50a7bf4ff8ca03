import { beforeAll, describe, expect, it } from 'vitest';
import type { RevisionScript } from '../alembic/parse-revision-script.js';
import { countBySeverity, sortFindings } from './finding.js';
import { lintMigration } from './lint.js';
import { initSqlParser, summarizeRevisionScript, summarizeSql } from './summarize.js';
import { readSuppressions } from './suppressions.js';

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
const lint = (lines: string[]) =>
  lintMigration(
    summarizeRevisionScript(
      script,
      [
        'from alembic import op',
        'import sqlalchemy as sa',
        '',
        'def upgrade():',
        ...lines.map((l) => `    ${l}`),
        '',
      ].join('\n'),
    ),
    { existingTables: ['accounts'] },
  );
const notNull = 'op.add_column("accounts", sa.Column("plan", sa.Text(), nullable=False))';

describe('suppression comments', () => {
  it('reads rule ids and the reason after " -- "', () => {
    expect(
      readSuppressions([
        {
          line: 3,
          text: '# flightdeck: ignore add-column-not-null-without-default -- accounts is empty in every environment',
        },
        { line: 9, text: '-- flightdeck: ignore drop-table, drop-column -- retired in 2025' },
        { line: 12, text: '# flightdeck: ignore drop-table' },
        { line: 14, text: '# an ordinary comment' },
      ]),
    ).toEqual([
      {
        line: 3,
        ruleIds: ['add-column-not-null-without-default'],
        reason: 'accounts is empty in every environment',
      },
      { line: 9, ruleIds: ['drop-table', 'drop-column'], reason: 'retired in 2025' },
      { line: 12, ruleIds: ['drop-table'], reason: null },
    ]);
  });

  it('on the line above: the finding stays, marked suppressed with its reason, and no longer counts', () => {
    const findings = lint([
      '# flightdeck: ignore add-column-not-null-without-default -- the table is truncated by the previous revision',
      notNull,
    ]);
    const finding = findings.find((f) => f.ruleId === 'add-column-not-null-without-default');
    expect(finding).toMatchObject({
      severity: 'error',
      line: 6,
      suppressed: { reason: 'the table is truncated by the previous revision' },
    });
    expect(countBySeverity(findings)).toMatchObject({ error: 0, suppressed: 1 });
    expect(sortFindings(findings).at(-1)?.ruleId).toBe('add-column-not-null-without-default');
  });

  it('on the operation’s own line, and above an op.execute whose SQL starts on a later line', () => {
    const trailing = lint([
      `${notNull}  # flightdeck: ignore add-column-not-null-without-default -- empty table`,
    ]);
    expect(trailing.find((f) => f.ruleId === 'add-column-not-null-without-default')?.suppressed).toEqual({
      reason: 'empty table',
    });
    const execute = lint([
      '# flightdeck: ignore sql-syntax-error -- runs on a fork with this syntax',
      'op.execute("""',
      '    SELECT 1;',
      '    ALTER TABLE accounts ADDD COLUMN x int',
      '""")',
    ]);
    expect(execute.find((f) => f.ruleId === 'sql-syntax-error')).toMatchObject({
      line: 8,
      suppressed: { reason: 'runs on a fork with this syntax' },
    });
  });

  it('without a reason it suppresses nothing and is itself a finding', () => {
    const findings = lint(['# flightdeck: ignore add-column-not-null-without-default', notNull]);
    expect(
      findings.find((f) => f.ruleId === 'add-column-not-null-without-default')?.suppressed,
    ).toBeUndefined();
    expect(findings.find((f) => f.ruleId === 'suppression-without-reason')).toMatchObject({
      severity: 'warning',
      line: 5,
    });
    expect(countBySeverity(findings).error).toBe(1);
  });

  it('only the named rule, only on its line or the next; one that matches nothing is reported', () => {
    const other = lint(['# flightdeck: ignore drop-table -- not this rule', notNull]);
    expect(other.find((f) => f.ruleId === 'add-column-not-null-without-default')?.suppressed).toBeUndefined();
    expect(other.find((f) => f.ruleId === 'suppression-unused')).toMatchObject({ severity: 'info', line: 5 });
    const far = lint([
      '# flightdeck: ignore add-column-not-null-without-default -- too far above',
      '',
      notNull,
    ]);
    expect(far.find((f) => f.ruleId === 'add-column-not-null-without-default')?.suppressed).toBeUndefined();
  });

  it('in a SQL file with -- comments', () => {
    const summary = summarizeSql(
      'm',
      [
        'BEGIN;',
        '-- flightdeck: ignore add-column-not-null-without-default -- accounts was created empty above',
        'ALTER TABLE accounts ADD COLUMN plan text NOT NULL;',
        'COMMIT;',
      ].join('\n'),
      { file: 'm.sql' },
    );
    const findings = lintMigration(summary, { existingTables: ['accounts'] });
    expect(findings.find((f) => f.ruleId === 'add-column-not-null-without-default')).toMatchObject({
      line: 3,
      suppressed: { reason: 'accounts was created empty above' },
    });
  });
});
