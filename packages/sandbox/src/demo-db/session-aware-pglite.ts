import type { PGlite } from '@electric-sql/pglite';

const readyForQuery = 0x5a; // 'Z'
const idle = 0x49; // 'I'
const terminate = 0x58; // 'X'
const syncMessage = new Uint8Array([0x53, 0, 0, 0, 4]); // 'S', length 4

/**
 * PGLiteSocketServer pins the single PGlite backend to one client only while
 * `isInTransaction()` is true, so the Parse/Bind/Execute of two pooled `pg` clients
 * interleave ("portal does not exist", pglite#1046). This view of the database reports
 * the backend as busy from a client's first message until PGlite answers ReadyForQuery
 * with status idle, which pins the whole extended-protocol batch and any transaction.
 */
export function sessionAwarePglite(db: PGlite): PGlite {
  const scanner = new ReadyForQueryScanner();

  const execProtocolRawStream: PGlite['execProtocolRawStream'] = async (message, options) => {
    // Any message but Terminate opens (or continues) a session until ReadyForQuery says idle.
    if (message[0] !== terminate) scanner.busy = true;
    try {
      await db.execProtocolRawStream(message, {
        ...options,
        onRawData: (data) => {
          scanner.push(data);
          options.onRawData(data);
        },
      });
    } catch (error) {
      // The stock queue stalls for good if this throws; answer the client with an error instead.
      const reply = errorResponse(error instanceof Error ? error.message : String(error));
      scanner.push(reply);
      options.onRawData(reply);
    }
  };

  // Called by the server when a client that owns the session disconnects.
  const exec: PGlite['exec'] = async (query, options) => {
    if (/^\s*ROLLBACK\s*;?\s*$/i.test(query) && scanner.busy) {
      await db.runExclusive(() => db.execProtocolRaw(syncMessage));
      scanner.busy = false;
      return db.isInTransaction() ? db.exec(query, options) : [];
    }
    return db.exec(query, options);
  };

  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'execProtocolRawStream') return execProtocolRawStream;
      if (property === 'isInTransaction') return () => scanner.busy || target.isInTransaction();
      if (property === 'exec') return exec;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Follows the backend's message stream across chunks; `busy` until the last ReadyForQuery says idle. */
class ReadyForQueryScanner {
  busy = false;
  private header = new Uint8Array(5);
  private headerLength = 0;
  private bodyRemaining = 0;
  private readingStatus = false;

  push(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.length) {
      if (this.bodyRemaining > 0) {
        if (this.readingStatus) {
          this.busy = data[offset] !== idle;
          this.readingStatus = false;
        }
        const skip = Math.min(this.bodyRemaining, data.length - offset);
        this.bodyRemaining -= skip;
        offset += skip;
        continue;
      }
      this.header[this.headerLength++] = data[offset++]!;
      if (this.headerLength === 5) {
        const view = new DataView(this.header.buffer);
        this.bodyRemaining = view.getInt32(1) - 4;
        this.readingStatus = this.header[0] === readyForQuery && this.bodyRemaining === 1;
        this.headerLength = 0;
      }
    }
  }
}

/** ErrorResponse + ReadyForQuery(idle) in the PostgreSQL wire format. */
function errorResponse(message: string): Uint8Array {
  const encoder = new TextEncoder();
  const fields = [
    ['S', 'ERROR'],
    ['V', 'ERROR'],
    ['C', 'XX000'],
    ['M', message],
  ].map(([code, text]) => [encoder.encode(code), encoder.encode(text), new Uint8Array([0])]);
  const body = fields.flat();
  const bodyLength = body.reduce((sum, part) => sum + part.length, 0) + 1;
  const out = new Uint8Array(1 + 4 + bodyLength + 6);
  const view = new DataView(out.buffer);
  out[0] = 0x45; // 'E'
  view.setInt32(1, 4 + bodyLength);
  let offset = 5;
  for (const part of body) {
    out.set(part, offset);
    offset += part.length;
  }
  out[offset++] = 0;
  out[offset++] = readyForQuery;
  view.setInt32(offset, 5);
  out[offset + 4] = idle;
  return out;
}
