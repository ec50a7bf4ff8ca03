import { describe, expect, it } from 'vitest';
import { matchesFilter, parseFilterPattern } from './filter-pattern.js';

const error =
  '[ERROR]\t2026-02-03T06:30:00.000Z\tabc\tsqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedTable) relation "coordinator_notification_preferences" does not exist\n';
const access = '[INFO]\t2026-02-03T06:30:00.000Z\tabc\tGET /api/v1/health 200 2ms\n';
const report = 'REPORT RequestId: abc\tDuration: 2.10 ms\tBilled Duration: 3 ms\n';

function matching(pattern: string): string[] {
  const filter = parseFilterPattern(pattern);
  return [error, access, report].filter((m) => matchesFilter(filter, m)).map((m) => m.slice(0, 6));
}

describe('filter patterns', () => {
  it('matches everything when empty', () => {
    expect(matching('')).toHaveLength(3);
  });

  it('requires every term, case-sensitively', () => {
    expect(matching('ERROR UndefinedTable')).toEqual(['[ERROR']);
    expect(matching('undefinedtable')).toEqual([]);
    expect(matching('INFO 200')).toEqual(['[INFO]']);
  });

  it('matches quoted phrases as a whole', () => {
    expect(matching('"relation \\"coordinator_notification_preferences\\" does not exist"')).toEqual([
      '[ERROR',
    ]);
    expect(matching('"does not exist"')).toEqual(['[ERROR']);
    expect(matching('"not does"')).toEqual([]);
  });

  it('ORs ?terms and drops -terms', () => {
    expect(matching('?ERROR ?REPORT')).toEqual(['[ERROR', 'REPORT']);
    expect(matching('Duration -Billed')).toEqual([]);
    expect(matching('-ERROR')).toEqual(['[INFO]', 'REPORT']);
    expect(matching('-"does not exist" ms')).toEqual(['[INFO]', 'REPORT']);
  });

  it('rejects what the sandbox cannot evaluate', () => {
    expect(() => parseFilterPattern('{ $.level = "ERROR" }')).toThrow(/JSON/);
    expect(() => parseFilterPattern('[ip, user, status=500]')).toThrow(/Space-delimited/);
    expect(() => parseFilterPattern('%ERR(OR)?%')).toThrow(/Regular expression/);
    expect(() => parseFilterPattern('"unterminated')).toThrow(/unterminated/);
  });
});
