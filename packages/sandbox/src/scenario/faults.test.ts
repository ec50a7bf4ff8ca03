import { describe, expect, it } from 'vitest';
import { FaultBook, parseFault } from './faults.js';

describe('faults', () => {
  it('applies a limited fault the given number of times', () => {
    const book = new FaultBook();
    book.inject({ service: 'CloudWatch', operation: 'GetMetricData', kind: 'throttle', remaining: 2 });
    expect(book.take('CloudWatch', 'GetMetricData')?.kind).toBe('throttle');
    expect(book.list()[0]?.remaining).toBe(1);
    expect(book.take('CloudWatch', 'GetMetricData')?.kind).toBe('throttle');
    expect(book.take('CloudWatch', 'GetMetricData')).toBeUndefined();
    expect(book.list()).toEqual([]);
  });

  it('clears by service and operation', () => {
    const book = new FaultBook();
    book.inject({ service: 'RDS', operation: 'DescribeDBInstances', kind: 'hang' });
    book.inject({ service: 'RDS', operation: 'DescribeDBSnapshots', kind: 'hang' });
    book.inject({ service: 'Lambda', operation: 'GetAlias', kind: 'error5xx' });
    book.clear('RDS', 'DescribeDBSnapshots');
    expect(book.list().map((f) => f.operation)).toEqual(['DescribeDBInstances', 'GetAlias']);
    book.clear('RDS');
    expect(book.list().map((f) => f.operation)).toEqual(['GetAlias']);
    book.clear();
    expect(book.list()).toEqual([]);
  });

  it('rejects what it cannot apply', () => {
    expect(() => parseFault({ service: 'S3', operation: 'GetObject', kind: 'hang' })).toThrow(/service/);
    expect(() => parseFault({ service: 'RDS', operation: 'DeleteDBInstance', kind: 'hang' })).toThrow(
      /operation/,
    );
    expect(() => parseFault({ service: 'RDS', operation: 'DescribeDBInstances', kind: 'slow' })).toThrow(
      /kind/,
    );
    expect(() =>
      parseFault({ service: 'RDS', operation: 'DescribeDBInstances', kind: 'latency', latencyMs: -1 }),
    ).toThrow(/latencyMs/);
    expect(() =>
      parseFault({ service: 'RDS', operation: 'DescribeDBInstances', kind: 'hang', extra: 1 }),
    ).toThrow(/extra/);
    expect(
      parseFault({ service: 'STS', operation: 'GetCallerIdentity', kind: 'latency', latencyMs: 50 }),
    ).toEqual({
      service: 'STS',
      operation: 'GetCallerIdentity',
      kind: 'latency',
      latencyMs: 50,
    });
  });
});
