import { describe, expect, it } from 'vitest';
import { parseEventStream, type EventStreamMessage } from './event-stream.js';

describe('parseEventStream', () => {
  it('reads messages split anywhere across chunks, with event, id and multi-line data', () => {
    const wire = ': keep-alive\n\nevent: line\nid: e1-7\ndata: {"a":1}\n\ndata: one\ndata: two\n\n';
    const seen: EventStreamMessage[] = [];
    let rest = '';
    for (const char of wire) rest = parseEventStream(rest + char, (m) => seen.push(m));
    expect(rest).toBe('');
    expect(seen).toEqual([
      { event: 'line', id: 'e1-7', data: '{"a":1}' },
      { event: 'message', id: undefined, data: 'one\ntwo' },
    ]);
  });

  it('keeps an unfinished message for the next chunk', () => {
    const seen: EventStreamMessage[] = [];
    expect(parseEventStream('event: status\ndata: {}', (m) => seen.push(m))).toBe('event: status\ndata: {}');
    expect(seen).toEqual([]);
  });
});
