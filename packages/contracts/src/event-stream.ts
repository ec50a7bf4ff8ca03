/** One message of a text/event-stream (the SSE wire format of /api/v1/events and the log tails). */
export interface EventStreamMessage {
  event: string;
  id: string | undefined;
  data: string;
}

/**
 * Reads every complete message in `buffer` (blocks end with a blank line) and returns the
 * unfinished rest, to be prefixed to the next chunk. Comments and blocks without data are skipped,
 * as EventSource does. Shared by the SPA's fetch-based tail and the BFF's test client.
 */
export function parseEventStream(buffer: string, onMessage: (message: EventStreamMessage) => void): string {
  let end: number;
  while ((end = buffer.indexOf('\n\n')) >= 0) {
    const block = buffer.slice(0, end);
    buffer = buffer.slice(end + 2);
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) onMessage({ event, id, data: data.join('\n') });
  }
  return buffer;
}
