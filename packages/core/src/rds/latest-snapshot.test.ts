import { describe, expect, it } from 'vitest';
import type { DbSnapshot } from '@flightdeck/contracts';
import { latestSnapshot } from './latest-snapshot.js';

const snap = (id: string, createdAt: string | null): DbSnapshot => ({
  id,
  dbInstance: 'db',
  status: createdAt ? 'available' : 'creating',
  type: 'manual',
  createdAt,
  sizeGb: 20,
  progressPercent: null,
  engineVersion: '15.7',
});

describe('latestSnapshot', () => {
  it('picks the newest by creation time', () => {
    expect(latestSnapshot([snap('a', '2026-02-01T00:00:00Z'), snap('b', '2026-02-03T06:29:34Z')])?.id).toBe(
      'b',
    );
  });
  it('treats a snapshot still being created as the newest', () => {
    expect(latestSnapshot([snap('a', '2026-02-03T00:00:00Z'), snap('new', null)])?.id).toBe('new');
  });
  it('returns null for none', () => {
    expect(latestSnapshot([])).toBeNull();
  });
});
