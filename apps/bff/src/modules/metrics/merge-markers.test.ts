// One change, one marker: the deploy's record and Flightdeck's own polls both see an alias move.
import type { DeployMarker } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import { mergeMarkers } from './deploy-markers.js';

const marker = (over: Partial<DeployMarker>): DeployMarker => ({
  id: 'm',
  at: '2026-02-03T07:00:00.000Z',
  kind: 'alias-changed',
  title: 'Backend API alias prod: v14 → v13',
  functionName: 'api',
  source: 'observed',
  ...over,
});

describe('merging the charts’ markers', () => {
  it('keeps the record’s alias change (it says who) instead of the same change observed between two polls', () => {
    const observed = marker({ id: 'observed-1', at: '2026-02-03T07:00:20.000Z' });
    const recorded = marker({
      id: 'record-1',
      source: 'deploy-record',
      title: 'Alias changed: … by Flightdeck',
    });
    expect(mergeMarkers([observed], [recorded], 15_000).map((m) => m.id)).toEqual(['record-1']);
  });

  it('keeps an observed change of another function or another time, and orders everything by time', () => {
    const other = marker({ id: 'observed-worker', functionName: 'worker' });
    const later = marker({ id: 'observed-later', at: '2026-02-03T08:00:00.000Z' });
    const migration = marker({
      id: 'timeline-1',
      kind: 'migration-applied',
      functionName: null,
      at: '2026-02-03T06:00:00.000Z',
    });
    const recorded = marker({ id: 'record-1', source: 'deploy-record', at: '2026-02-03T07:00:05.000Z' });
    expect(mergeMarkers([other, later, migration], [recorded], 15_000).map((m) => m.id)).toEqual([
      'timeline-1',
      'observed-worker',
      'record-1',
      'observed-later',
    ]);
  });
});
