import { describe, expect, it } from 'vitest';
import { filterPatternProblem } from './filter-pattern.js';

describe('filterPatternProblem', () => {
  it.each([
    '',
    'ERROR',
    '?ERROR ?Exception ?Traceback ?"does not exist"',
    '"relation \\"x\\" does not exist"',
    '{ $.level = "error" && $.latency > 100 }',
    '[ip, user, status_code=5*, size]',
    '%ERROR|WARN%',
    '{ ($.a = 1) || ($.b = "}") }',
  ])('accepts %s', (pattern) => {
    expect(filterPatternProblem(pattern)).toBeNull();
  });

  it.each([
    ['"does not exist', /unclosed quote/],
    ['{ $.level = "error" ', /missing "}"/],
    ['[ip, user', /missing "]"/],
    ['ERROR }', /unmatched "}"/],
    ['{ ($.a = 1 }', /unmatched "}"/],
    ['%ERROR', /unclosed %regex%/],
    ['x'.repeat(1025), /1025 characters/],
  ])('rejects %s, naming the pattern', (pattern, message) => {
    const problem = filterPatternProblem(pattern);
    expect(problem).toMatch(message);
    if (pattern.length < 100) expect(problem).toContain(JSON.stringify(pattern));
  });
});
