import { describe, expect, it } from 'vitest';
import {
  judgeAlarms,
  judgeHttpCheck,
  judgeMetricThreshold,
  judgeMigrationLint,
  judgeSqlCheck,
} from './probe-rules.js';

describe('probe rules', () => {
  it('checks every URL for its status and the body text', () => {
    const rule = { type: 'http-check' as const, urls: ['http://a', 'http://b'], bodyContains: 'email' };
    const r = judgeHttpCheck(rule, [
      { url: 'http://a', status: 200, bodyHasText: true, error: null },
      { url: 'http://b', status: 200, bodyHasText: false, error: null },
    ]);
    expect(r).toEqual({
      question: 'Does http://a and http://b answer 200 with "email" in the body?',
      value: 'http://a: HTTP 200, body has "email"; http://b: HTTP 200, body lacks "email"',
      passed: false,
    });
  });

  it('compares a query’s first value with what is expected', () => {
    const rule = { type: 'sql-check' as const, sql: 'select count(*)', expect: 3 };
    expect(judgeSqlCheck(rule, { rows: [{ count: '3' }], error: null })).toMatchObject({
      passed: true,
      value: '3 (1 row)',
    });
    expect(
      judgeSqlCheck(rule, { rows: null, error: 'cannot execute INSERT in a read-only transaction' }),
    ).toMatchObject({
      passed: false,
      value: 'query failed: cannot execute INSERT in a read-only transaction',
    });
  });

  it('wants every named alarm OK', () => {
    const r = judgeAlarms(
      { type: 'cloudwatch-alarm', alarmNames: ['a', 'b'] },
      {
        alarms: [{ name: 'a', state: 'ALARM', reason: 'Threshold Crossed' }],
        error: null,
      },
    );
    expect(r).toMatchObject({ passed: false, value: 'a: ALARM (Threshold Crossed); b: no such alarm' });
  });

  it('holds a metric to its threshold, and fails without datapoints', () => {
    const rule = {
      type: 'metric-threshold' as const,
      namespace: 'AWS/SQS',
      metricName: 'Depth',
      statistic: 'Maximum',
      comparison: '<' as const,
      threshold: 100,
      dimensions: { QueueName: 'q' },
    };
    expect(judgeMetricThreshold(rule, { value: 12, error: null })).toMatchObject({
      passed: true,
      question: 'Is Maximum of AWS/SQS Depth {QueueName=q} over the last 10 minutes < 100?',
    });
    expect(judgeMetricThreshold(rule, { value: null, error: null }).passed).toBe(false);
  });

  it('fails the lint on a finding at or above failOn and names it', () => {
    const reading = {
      from: 'a',
      to: 'c',
      revisions: ['b', 'c'],
      findings: [
        {
          ruleId: 'reserved-word',
          severity: 'error' as const,
          revision: 'c',
          line: 12,
          message: 'references is reserved',
        },
      ],
      error: null,
    };
    expect(judgeMigrationLint({ type: 'migration-lint' }, reading)).toMatchObject({
      passed: false,
      value: '2 revisions, 1 at or above error: error reserved-word in c:12: references is reserved',
    });
    expect(judgeMigrationLint({ type: 'migration-lint' }, { ...reading, findings: [] }).passed).toBe(true);
  });
});

describe('the lint evidence', () => {
  it('lists what holds the item back in full and counts the rest by rule', () => {
    const finding = (severity: 'error' | 'info', ruleId: string) => ({
      ruleId,
      severity,
      revision: 'b',
      message: 'm',
    });
    const reading = {
      from: 'a',
      to: 'b',
      revisions: ['b'],
      findings: [finding('info', 'lock-on-existing-table'), finding('info', 'lock-on-existing-table')],
      error: null,
    };
    expect(judgeMigrationLint({ type: 'migration-lint' }, reading).value).toBe(
      '1 revision, 0 at or above error; below it: 2 × info lock-on-existing-table',
    );
    expect(
      judgeMigrationLint(
        { type: 'migration-lint' },
        { ...reading, findings: [finding('error', 'x'), finding('info', 'y')] },
      ).value,
    ).toBe('1 revision, 1 at or above error: error x in b: m; below it: 1 × info y');
  });
});
