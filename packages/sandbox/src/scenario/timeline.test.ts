import { describe, expect, it } from 'vitest';
import { Timeline } from './timeline.js';

describe('timeline', () => {
  it('shows only what has happened by now, in time order', () => {
    const timeline = new Timeline();
    timeline.record(2_000, 'snapshot-available', 'snap is available', 'snap');
    timeline.record(1_000, 'snapshot-created', 'snap started', 'snap');
    expect(timeline.until(1_500).map((e) => e.kind)).toEqual(['snapshot-created']);
    expect(timeline.until(2_000).map((e) => e.kind)).toEqual(['snapshot-created', 'snapshot-available']);
    expect(timeline.until(2_000)[0]!.at).toBe('1970-01-01T00:00:01.000Z');
  });

  it('answers "as of" a time for one subject', () => {
    const timeline = new Timeline();
    timeline.record(100, 'alias-changed', 'prod -> 13', 'backend', '13');
    timeline.record(200, 'alias-changed', 'prod -> 14', 'backend', '14');
    timeline.record(150, 'alias-changed', 'prod -> 9', 'worker', '9');
    expect(timeline.latest('alias-changed', 199, 'backend')?.value).toBe('13');
    expect(timeline.latest('alias-changed', 200, 'backend')?.value).toBe('14');
    expect(timeline.latest('alias-changed', 99, 'backend')).toBeUndefined();
    expect(timeline.changesBetween('alias-changed', 'backend', 0, 200)).toEqual([100]);
  });
});
