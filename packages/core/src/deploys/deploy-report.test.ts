import type { DeployDetail } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import { iamPolicy, policyAllows } from '../aws/iam-policy.js';
import { restoredInstanceIdentifier } from '../aws/resource-names.js';
import { renderDeployReport } from './deploy-report.js';

const detail: DeployDetail = {
  deploy: {
    id: 'd1',
    environment: 'production',
    phase: 'monitoring',
    preparedBy: 'ops@x',
    preparedAt: '2026-02-03T06:29:34Z',
    migratedAt: '2026-02-03T06:40:00Z',
    pendingAtPrepare: ['20260115_0300', '20260127_0100'],
    baselineMetrics: null,
    release: {
      name: 'v2.14.0',
      commit: 'abc1234',
      frontendRef: null,
      url: null,
      notes: null,
      targetRevision: null,
    },
    targetRevision: '20260131_0000',
    migrationStartedAt: null,
    releasedAt: null,
    watchStartedAt: '2026-02-03T06:40:00Z',
    ending: null,
    baseline: {
      databaseRevision: '20260115_0200',
      codeHead: '20260131_0000',
      aliases: [
        { functionName: 'api', alias: 'prod', version: '7' },
        { functionName: 'worker', alias: 'prod', version: '$LATEST' },
      ],
      frontendRef: 'pre-migration-20260203-063318',
      snapshot: {
        identifier: 'prod-credmate-db-pre-migration-20260203-062934',
        instance: 'prod-credmate-db',
      },
    },
  },
  checklist: [
    {
      id: 'error-rate',
      phase: 'post-deploy',
      title: 'Error rates | at zero',
      kind: 'automatic',
      state: 'pass',
      reason: '0 errors in 120 invocations (0.00 %)',
      evidence: {
        question: 'Is the error rate 0?',
        value: '0 errors in 120 invocations (0.00 %)',
        passed: true,
        evaluatedAt: '2026-02-03T06:50:00Z',
      },
      evidenceAgeSeconds: 10,
      signOff: null,
      signOffs: [],
      signOffsNeeded: 0,
      judgement: 'final',
      description: null,
    },
  ],
  verdict: { gate: 'close', question: 'Go to close?', verdict: 'GO', reasons: [] },
  verdicts: {
    migration: { gate: 'migration', question: 'Go for the migration?', verdict: 'GO', reasons: [] },
    healthy: { gate: 'healthy', question: 'Healthy?', verdict: 'GO', reasons: [] },
    close: { gate: 'close', question: 'Go to close?', verdict: 'GO', reasons: [] },
  },
  transitions: ['finish'],
  timeline: [
    { kind: 'prepared', message: 'Deploy prepared by ops@x', at: '2026-02-03T06:29:34Z', details: {} },
  ],
};

describe('deploy report', () => {
  const markdown = renderDeployReport({
    detail,
    applied: [
      {
        revision: '20260115_0300',
        description: 'provider_credentials table',
        tables: 1,
        columns: 11,
        indexes: 4,
        enumValues: 0,
      },
      {
        revision: '20260127_0100',
        description: 'STAGE_CHANGED enum',
        tables: 0,
        columns: 0,
        indexes: 0,
        enumValues: 1,
      },
    ],
    currentRevision: '20260131_0000',
    metricsBefore: { invocations: 100, errors: 5, p99Ms: 4.2, schemaErrors: 5 },
    metricsAfter: { invocations: 120, errors: 0, p99Ms: 4.0, schemaErrors: 0 },
    region: 'us-east-1',
  });

  it('holds the revisions, the counts and the error-rate figures', () => {
    expect(markdown).toContain('Database revision 20260115_0200 → 20260131_0000');
    expect(markdown).toContain('| 20260115_0300 | provider_credentials table | 1 | 11 | 4 | 0 |');
    expect(markdown).toContain('Total: 1 table, 11 columns, 4 indexes, 1 enum value.');
    expect(markdown).toContain('| Before | 100 | 5 | 5.00 % | 4.2 ms | 5 |');
    expect(markdown).toContain('| After | 120 | 0 | 0.00 % | 4.0 ms | 0 |');
    expect(markdown).toContain('Verdict (Go to close?): **GO**');
    expect(markdown).toContain('- Release: v2.14.0, commit abc1234');
  });

  it('says how to restore each backup and which rollbacks are not ready', () => {
    expect(markdown).toContain('--db-snapshot-identifier prod-credmate-db-pre-migration-20260203-062934');
    expect(markdown).toContain('--function-name api --name prod --function-version 7');
    expect(markdown).toContain('Lambda worker:prod: not ready: $LATEST is not a published version');
  });

  it('restores into a name the documented IAM policy allows: <instance>-restored-<deploy suffix>', () => {
    const target = /--db-instance-identifier (\S+?)`/.exec(markdown)?.[1];
    expect(target).toBe(restoredInstanceIdentifier('prod-credmate-db', 'd1'));
    expect(target).toMatch(/^prod-credmate-db-restored-[0-9a-f]{8}$/);
    const policy = iamPolicy({
      region: 'us-east-1',
      accountId: '123456789012',
      dbInstance: 'prod-credmate-db',
      functions: [],
    });
    expect(
      policyAllows(
        policy,
        'rds:RestoreDBInstanceFromDBSnapshot',
        `arn:aws:rds:us-east-1:123456789012:db:${target}`,
      ),
    ).toBe(true);
  });

  it('escapes table cells so a pipe in a title keeps the table whole', () => {
    expect(markdown).toContain('Error rates \\| at zero');
  });

  it('shows each function’s p99 before and after', () => {
    const fn = (functionName: string, label: string, p99Ms: number | null) => ({
      functionName,
      label,
      invocations: 100,
      p99Ms,
    });
    const perFunction = renderDeployReport({
      detail,
      applied: [],
      currentRevision: '20260131_0000',
      metricsBefore: {
        invocations: 100,
        errors: 0,
        p99Ms: 642,
        schemaErrors: 0,
        p99ByFunction: [fn('api', 'Backend API', 25.4), fn('worker', 'Worker', 642)],
      },
      metricsAfter: {
        invocations: 100,
        errors: 0,
        p99Ms: 1364,
        schemaErrors: 0,
        p99ByFunction: [fn('api', 'Backend API', 24.9), fn('worker', 'Worker', 1364)],
      },
      region: 'us-east-1',
    });
    expect(perFunction).toContain(
      '| Function | p99 before | p99 after |\n|---|---|---|\n| Backend API | 25.4 ms | 24.9 ms |\n| Worker | 642.0 ms | 1364.0 ms |',
    );
    // Deploys prepared before per-function figures were kept show the pooled table only.
    expect(markdown).not.toContain('| Function | p99 before');
  });
});

describe('deploy report: what happened', () => {
  const event = (kind: string, at: string, message: string) => ({
    kind,
    at,
    message,
    details: kind === 'rollback-started' ? { jobId: 'j1' } : {},
  });
  const withRecord: DeployDetail = {
    ...detail,
    timeline: [
      ...detail.timeline,
      event('snapshot-started', '2026-02-03T06:29:35Z', 'CreateDBSnapshot …'),
      event('errors-started', '2026-02-03T06:51:00Z', 'Backend API: errors started'),
      event(
        'rollback-refused',
        '2026-02-03T06:52:10Z',
        'Rollback of lambda api by ops refused (NothingToDo)',
      ),
      event(
        'rollback-started',
        '2026-02-03T06:53:00Z',
        'ops started rollback job j1: lambda api, prod -> 14 → prod -> 13',
      ),
      event(
        'alias-changed',
        '2026-02-03T06:53:05Z',
        'Backend API alias prod: version 14 → 13, by Flightdeck',
      ),
      event(
        'errors-stopped',
        '2026-02-03T06:55:00Z',
        'Backend API: errors stopped after 2 min — 20 errors | 140',
      ),
    ],
  };
  const markdown = renderDeployReport({
    detail: withRecord,
    applied: [],
    currentRevision: null,
    metricsBefore: null,
    metricsAfter: null,
    region: 'us-east-1',
  });
  const section = markdown.slice(markdown.indexOf('## What happened'), markdown.indexOf('## Timeline'));

  it('lists the record in order, in words, as a table, leaving out the other timeline events', () => {
    const rows = section.split('\n').filter((l) => l.startsWith('| 2026'));
    expect(rows.map((r) => r.split(' | ')[1])).toEqual([
      'Errors started',
      'Rollback refused',
      'Rollback started',
      'Alias changed',
      'Errors stopped',
    ]);
    expect(rows[0]).toMatch(/^\| 2026-02-03 06:51:00 \| Errors started \| Backend API: errors started \|$/);
    // A pipe in a message keeps the table whole.
    expect(rows[4]).toContain('20 errors \\| 140');
    expect(section).toContain('1 rollback started, 1 refused; 1 error episode.');
    expect(section).not.toContain('CreateDBSnapshot');
  });

  it('names the rollbacks already run before those still ready', () => {
    const ready = markdown.slice(markdown.indexOf('## Rollbacks ready'));
    expect(ready.split('\n')[2]).toBe(
      '- Already run: ops started rollback job j1: lambda api, prod -> 14 → prod -> 13; still running',
    );
  });

  it('names the rollback target the Rollbacks page offers, not the live version the release went out as', () => {
    // The release went out before prepare: the version recorded at prepare (7) is the live one.
    const live = renderDeployReport({
      detail,
      applied: [],
      currentRevision: null,
      metricsBefore: null,
      metricsAfter: null,
      region: 'us-east-1',
      liveAliases: [
        { functionName: 'api', alias: 'prod', live: '7', target: '6' },
        { functionName: 'worker', alias: 'prod', live: '3', target: null },
      ],
    });
    expect(live).toContain('- Lambda api:prod: ready, back to version 6 (live: 7)');
    expect(live).toContain('- Lambda worker:prod: not ready: no published version older than the live 3');
  });

  it('says so when nothing was recorded', () => {
    const quiet = renderDeployReport({
      detail,
      applied: [],
      currentRevision: null,
      metricsBefore: null,
      metricsAfter: null,
      region: 'us-east-1',
    });
    expect(quiet).toContain('## What happened\n\nNo rollbacks, error episodes');
  });
});
