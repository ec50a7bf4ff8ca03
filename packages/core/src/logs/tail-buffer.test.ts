import { describe, expect, it } from 'vitest';
import { TailBuffer, type RawLogEvent } from './tail-buffer.js';

const t0 = Date.parse('2026-02-03T06:59:00Z');
const ev = (id: string, offsetMs: number, message = `line ${id}`): RawLogEvent => ({
  eventId: id,
  timestamp: t0 + offsetMs,
  logStream: '2026/02/03/[$LATEST]abc',
  message,
});

describe('TailBuffer', () => {
  it('numbers new events in timestamp-then-eventId order', () => {
    const buffer = new TailBuffer(10, 5_000);
    const added = buffer.append([ev('c', 2000), ev('b', 1000), ev('a', 1000)]);
    expect(added.map((l) => [l.seq, l.eventId])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    expect(added[0]!.timestamp).toBe('2026-02-03T06:59:01.000Z');
  });

  it('drops events seen in an earlier, overlapping poll or repeated across pages', () => {
    const buffer = new TailBuffer(10, 5_000);
    buffer.append([ev('a', 0), ev('b', 1000)]);
    const second = buffer.append([ev('b', 1000), ev('c', 1500), ev('c', 1500), ev('d', 2000)]);
    expect(second.map((l) => l.eventId)).toEqual(['c', 'd']);
    expect(buffer.lastSeq).toBe(4);
  });

  it('keeps a late event that is still inside the overlap, after the lines already numbered', () => {
    const buffer = new TailBuffer(10, 5_000);
    buffer.append([ev('a', 0), ev('c', 3000)]);
    const late = buffer.append([ev('b', 1000)]);
    expect(late.map((l) => [l.seq, l.eventId])).toEqual([[3, 'b']]);
  });

  it('ignores events older than the dedupe horizon, whose ids may be forgotten', () => {
    const buffer = new TailBuffer(10, 5_000);
    buffer.append([ev('a', 0), ev('z', 60_000)]);
    expect(buffer.append([ev('a', 0), ev('old', 1000)])).toEqual([]);
  });

  it('starts the next poll an overlap before the newest line', () => {
    const buffer = new TailBuffer(10, 5_000);
    expect(buffer.nextStartTime(2_000)).toBeNull();
    buffer.append([ev('a', 0), ev('b', 9_000)]);
    expect(buffer.nextStartTime(2_000)).toBe(t0 + 7_000);
  });

  it('holds only the newest `capacity` lines and says when a resume point was overwritten', () => {
    const buffer = new TailBuffer(3, 60_000);
    buffer.append(Array.from({ length: 5 }, (_, i) => ev(`e${i}`, i)));
    expect(buffer.length).toBe(3);
    expect(buffer.oldestSeq).toBe(3);
    expect(buffer.after(3).evicted).toBe(false);
    expect(buffer.after(3).lines.map((l) => l.seq)).toEqual([4, 5]);
    const resumed = buffer.after(1);
    expect(resumed.evicted).toBe(true);
    expect(resumed.lines.map((l) => l.seq)).toEqual([3, 4, 5]);
    expect(buffer.after(2).evicted).toBe(false);
    expect(buffer.after(5)).toEqual({ lines: [], evicted: false });
    expect(buffer.after(0, 2).lines.map((l) => l.seq)).toEqual([3, 4]);
  });

  it('remembers a bounded number of ids however fast lines come', () => {
    const buffer = new TailBuffer(5, 3_600_000, 100);
    for (let batch = 0; batch < 50; batch++) {
      buffer.append(Array.from({ length: 100 }, (_, i) => ev(`b${batch}-${i}`, batch * 100 + i)));
    }
    expect((buffer as unknown as { seen: Map<string, number> }).seen.size).toBeLessThanOrEqual(100);
    expect(buffer.lastSeq).toBe(5_000);
  });

  it('highlights error lines and names missing schema objects', () => {
    const buffer = new TailBuffer(5, 5_000);
    const [error, info] = buffer.append([
      ev('a', 0, '[ERROR] ProgrammingError: relation "payment_methods" does not exist\n'),
      ev('b', 1, 'START RequestId: 1'),
    ]);
    expect(error).toMatchObject({
      severity: 'error',
      schemaError: { kind: 'relation', name: 'payment_methods' },
      message: '[ERROR] ProgrammingError: relation "payment_methods" does not exist',
    });
    expect(info).toMatchObject({ severity: 'info', schemaError: null });
  });
});
