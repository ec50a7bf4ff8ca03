import type { MigrationFinding, MigrationHistoryData, ReportRevision } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import { addedBy, findingTally, generalFindings, groupColumnsByTable, revisionRows } from './history-view';

const revision = (id: string, state: ReportRevision['state']): ReportRevision => ({
  revision: id,
  file: `${id}.py`,
  message: null,
  createDate: null,
  downRevisions: [],
  branchLabels: [],
  head: false,
  mergePoint: false,
  branchPoint: false,
  state,
});

const finding = (fields: Partial<MigrationFinding>): MigrationFinding => ({
  ruleId: 'lock-on-existing-table',
  severity: 'info',
  message: 'm',
  ...fields,
});

const counts = { tables: 0, columns: 0, indexes: 0, enumValues: 0 };
const summary = (id: string, tablesCreated: string[], columnsAdded: string[]) => ({
  revision: id,
  message: null,
  counts,
  tablesCreated,
  tablesDropped: [],
  columnsAdded,
  columnsDropped: [],
  columnsAltered: [],
  indexesCreated: [],
  enumValuesAdded: [],
  locks: [],
});

const data: MigrationHistoryData = {
  versionsDir: '/v',
  folderProblem: null,
  report: {
    revisions: [revision('a', 'current'), revision('b', 'pending')],
    heads: ['b'],
    position: { current: ['a'], pending: ['b'], unknown: [], upToDate: false },
    migrations: [],
    totals: counts,
    findings: [
      finding({ ruleId: 'multiple-heads', severity: 'error' }),
      finding({ ruleId: 'create-index-not-concurrently', severity: 'warning', revision: 'b' }),
      finding({ revision: 'b' }),
      finding({ ruleId: 'database-not-stamped' }),
    ],
    findingCounts: { error: 1, warning: 1, info: 2 },
    drift: null,
  },
  revisionSummaries: [summary('a', ['accounts'], []), summary('b', [], ['accounts.plan'])],
  createdTables: [{ revision: 'a', table: 'accounts', columns: ['id'] }],
  missingEnumValues: null,
  database: { via: 'direct', readAt: null, error: null },
};

describe('the Migration History view', () => {
  it('gives each revision its own findings, and the broken-history ones to none', () => {
    const rows = revisionRows(data);
    expect(rows.map((r) => [r.revision.revision, r.findings.map((f) => f.ruleId)])).toEqual([
      ['a', []],
      ['b', ['create-index-not-concurrently', 'lock-on-existing-table']],
    ]);
    expect(rows[0]?.createdTables).toEqual([{ revision: 'a', table: 'accounts', columns: ['id'] }]);
    expect(generalFindings(data).map((f) => f.ruleId)).toEqual(['database-not-stamped']);
  });

  it('keeps an applied revision’s findings and names the deploy that applied it; pending ones have none', () => {
    const withApplied: MigrationHistoryData = {
      ...data,
      appliedFindings: [
        finding({ ruleId: 'reserved-keyword-identifier', severity: 'warning', revision: 'a' }),
      ],
    };
    const applied = {
      revision: 'a',
      deployId: 'production-20260203T062934Z',
      appliedAt: '2026-02-03T06:40:00Z',
      preparedBy: 'omar',
      reportedBy: null,
      release: 'v2.14.0',
    };
    const rows = revisionRows(withApplied, [applied, { ...applied, revision: 'b' }]);
    expect(
      rows.map((r) => [r.revision.revision, r.findings.map((f) => f.ruleId), r.appliedBy?.deployId]),
    ).toEqual([
      ['a', ['reserved-keyword-identifier'], 'production-20260203T062934Z'],
      // b is pending: a stale record of it being applied is not shown, nor applied findings.
      ['b', ['create-index-not-concurrently', 'lock-on-existing-table'], undefined],
    ]);
    expect(revisionRows(withApplied).map((r) => r.appliedBy)).toEqual([null, null]);
  });

  it('keeps the report’s states, including revisions it cannot place', () => {
    const unknown: MigrationHistoryData = {
      ...data,
      report: {
        ...data.report,
        revisions: data.report.revisions.map((r) => ({ ...r, state: 'undetermined' as const })),
        position: { current: ['zz'], pending: [], unknown: ['zz'], upToDate: false },
      },
    };
    expect(revisionRows(unknown).map((r) => r.revision.state)).toEqual(['undetermined', 'undetermined']);
    expect(addedBy(unknown).get('accounts.plan')?.state).toBe('undetermined');
  });

  it('tallies findings by severity', () => {
    expect(findingTally(revisionRows(data)[1]!.findings)).toBe('1 warning · 1 info');
    expect(findingTally([])).toBe('');
    expect(
      findingTally([
        finding({ severity: 'error', suppressed: { reason: 'empty table' } }),
        finding({ severity: 'warning' }),
      ]),
    ).toBe('1 warning · 1 suppressed');
  });

  it('knows which revision adds each missing table and column', () => {
    const owners = addedBy(data);
    expect(owners.get('accounts')?.state).toBe('current');
    expect(owners.get('accounts.plan')?.revision).toBe('b');
  });

  it('groups missing columns by table, in order', () => {
    expect(
      groupColumnsByTable([
        { table: 'providers', column: 'x' },
        { table: 'licenses', column: 'y' },
        { table: 'providers', column: 'z' },
      ]),
    ).toEqual([
      { table: 'providers', columns: ['x', 'z'] },
      { table: 'licenses', columns: ['y'] },
    ]);
  });
});
