import { describe, expect, it } from 'vitest';
import { typeChangeCost } from './type-rewrite.js';

describe('typeChangeCost', () => {
  it('knows the changes PostgreSQL makes without touching rows', () => {
    expect(typeChangeCost('VARCHAR(50)', 'VARCHAR(100)', null)).toBe('none');
    expect(typeChangeCost('VARCHAR(50)', 'TEXT', null)).toBe('none');
    expect(typeChangeCost('TEXT', 'VARCHAR', null)).toBe('none');
    expect(typeChangeCost('NUMERIC(10, 2)', 'NUMERIC(12, 2)', null)).toBe('none');
    expect(typeChangeCost('NUMERIC(10, 2)', 'NUMERIC', null)).toBe('none');
  });

  it('flags the changes that rewrite the table', () => {
    expect(typeChangeCost('INTEGER', 'BIGINT', null)).toBe('rewrite');
    expect(typeChangeCost('VARCHAR(100)', 'VARCHAR(50)', null)).toBe('rewrite');
    expect(typeChangeCost('TEXT', 'VARCHAR(20)', null)).toBe('rewrite');
    expect(typeChangeCost('NUMERIC(10, 2)', 'NUMERIC(10, 4)', null)).toBe('rewrite');
    expect(typeChangeCost('VARCHAR(20)', 'VARCHAR(40)', 'name::varchar(40)')).toBe('rewrite');
  });

  it('is honest when it cannot tell', () => {
    expect(typeChangeCost(null, 'BIGINT', null)).toBe('unknown');
    expect(typeChangeCost('TIMESTAMP WITHOUT TIME ZONE', 'TIMESTAMP WITH TIME ZONE', null)).toBe(
      'rewrite-unless-utc',
    );
  });
});
