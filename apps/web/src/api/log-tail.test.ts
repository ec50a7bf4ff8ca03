import { describe, expect, it } from 'vitest';
import type { TailLine } from '@flightdeck/contracts';
import { appendTailBatch, type LogTailState } from './log-tail';

const lines = (from: number, count: number): TailLine[] =>
  Array.from({ length: count }, (_, i) => ({
    seq: from + i,
    eventId: `ev-${from + i}`,
    timestamp: '2026-02-03T06:20:00.000Z',
    logStream: 's',
    message: `line ${from + i}`,
    severity: 'info',
    schemaError: null,
  }));

const opened: LogTailState = {
  lines: [],
  received: 0,
  status: null,
  connection: 'connecting',
  notices: [],
  refusal: null,
};

describe('appendTailBatch', () => {
  it('keeps the newest 5,000 lines on screen and keeps counting what arrived', () => {
    let state = appendTailBatch(opened, {
      lines: lines(1, 4_000),
      patch: { connection: 'live' },
      notices: [],
    });
    state = appendTailBatch(state, { lines: lines(4_001, 2_000), patch: {}, notices: [] });
    expect(state.lines).toHaveLength(5_000);
    expect(state.lines[0]!.seq).toBe(1_001);
    expect(state.lines.at(-1)!.seq).toBe(6_000);
    expect(state.received).toBe(6_000);
    expect(state.connection).toBe('live');
  });

  it('shows the last five notices', () => {
    const notices = ['a', 'b', 'c', 'd', 'e', 'f'];
    const state = appendTailBatch(opened, { lines: [], patch: {}, notices });
    expect(state.notices).toEqual(['b', 'c', 'd', 'e', 'f']);
  });
});
