import { describe, expect, it } from 'vitest';
import { countOf } from './count-of.js';

describe('countOf', () => {
  it('is singular for exactly one, plural otherwise (zero included)', () => {
    expect(countOf(1, 'enum value')).toBe('1 enum value');
    expect(countOf(4, 'enum value')).toBe('4 enum values');
    expect(countOf(0, 'table')).toBe('0 tables');
  });
  it('takes an irregular plural', () => {
    expect(countOf(1, 'index', 'indexes')).toBe('1 index');
    expect(countOf(3, 'index', 'indexes')).toBe('3 indexes');
  });
});
