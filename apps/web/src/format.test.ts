import { describe, expect, it } from 'vitest';
import { countOf, formatAge, formatMs, formatPercent, freshnessOf } from './format';

describe('format', () => {
  it('counts in the singular for exactly one', () => {
    expect(countOf(1, 'event')).toBe('1 event');
    expect(countOf(2, 'event')).toBe('2 events');
    expect(countOf(0, 'event')).toBe('0 events');
    expect(countOf(1, 'index', 'indexes')).toBe('1 index');
    expect(countOf(5, 'index', 'indexes')).toBe('5 indexes');
  });
  it('reads ages at a glance', () => {
    expect(formatAge(12_400)).toBe('12 s');
    expect(formatAge(4 * 60_000 + 10_000)).toBe('4 min');
    expect(formatAge(3 * 3_600_000)).toBe('3 h');
    expect(formatAge(3 * 86_400_000)).toBe('3 d');
  });
  it('formats rates and durations', () => {
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.0321)).toBe('3.2%');
    expect(formatMs(4.14)).toBe('4.1 ms');
  });
  it('calls a value stale after two missed polls, failing on error', () => {
    const now = Date.parse('2026-02-03T07:00:00Z');
    expect(freshnessOf({ fetchedAt: '2026-02-03T06:59:50Z', error: null, intervalMs: 5000 }, now)).toBe(
      'fresh',
    );
    expect(freshnessOf({ fetchedAt: '2026-02-03T06:59:00Z', error: null, intervalMs: 5000 }, now)).toBe(
      'stale',
    );
    expect(freshnessOf({ fetchedAt: null, error: null, intervalMs: 5000 }, now)).toBe('waiting');
    expect(freshnessOf({ fetchedAt: null, error: { code: 'x' }, intervalMs: 5000 }, now)).toBe('failing');
  });
});
