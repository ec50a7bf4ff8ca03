// A compressed event stream without a compressor per client. Each frame is deflated once on its own
// (raw deflate, sync-flushed, never final) and the same bytes go to every client: deflate blocks
// ending on a byte boundary may follow one another in one stream, and a block only refers back to
// its own bytes. Per client there is only the gzip header, a running CRC-32 and length for the
// trailer. A frame compressed alone loses the context of the frames before it, which costs little:
// what matters is the first event (the snapshot), 117 KB that compresses like the overview does.
import { constants, crc32, deflateRawSync } from 'node:zlib';

/** A gzip member's header: deflate, no name, no time, unknown OS. */
const gzipHeader = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty final block (fixed Huffman, end of block): the deflate stream ends here. */
const finalBlock = Buffer.from([0x03, 0x00]);

interface Deflated {
  bytes: Buffer;
  crc: number;
  length: number;
}

/** Recently sent shared frames (a change goes to every client), deflated once. */
const shared = new Map<string, Deflated>();
const sharedMax = 64;

function deflate(text: string): Deflated {
  const raw = Buffer.from(text);
  return {
    bytes: deflateRawSync(raw, { level: 6, finishFlush: constants.Z_SYNC_FLUSH }),
    crc: crc32(raw),
    length: raw.length,
  };
}

function deflateShared(frame: string): Deflated {
  let deflated = shared.get(frame);
  if (!deflated) {
    deflated = deflate(frame);
    if (shared.size >= sharedMax) shared.delete(shared.keys().next().value!);
    shared.set(frame, deflated);
  }
  return deflated;
}

/** Whether the client takes gzip (`Accept-Encoding: gzip` with a weight above zero). */
export function acceptsGzip(acceptEncoding: string | string[] | undefined): boolean {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
  return header.split(',').some((part) => {
    const [name, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (name !== 'gzip' && name !== 'x-gzip') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** One client's gzip stream: what to write for each frame, and how to end it. */
export class GzipFrames {
  private crc = 0;
  private length = 0;

  /** The first bytes of the stream. */
  start(): Buffer {
    return gzipHeader;
  }

  /** A frame every client gets (deflated once for all of them). */
  shared(frame: string): Buffer {
    return this.take(deflateShared(frame));
  }

  /** A frame for this client alone. */
  own(text: string): Buffer {
    return this.take(deflate(text));
  }

  /** The end of the stream: the final block and the trailer (CRC-32 and length of what was sent). */
  end(): Buffer {
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.crc >>> 0, 0);
    trailer.writeUInt32LE(this.length % 2 ** 32, 4);
    return Buffer.concat([finalBlock, trailer]);
  }

  private take(deflated: Deflated): Buffer {
    this.crc = this.length === 0 ? deflated.crc : crc32Combine(this.crc, deflated.crc, deflated.length);
    this.length += deflated.length;
    return deflated.bytes;
  }
}

// CRC-32 of two pieces joined, from the CRC of each and the length of the second (zlib's
// crc32_combine), so a client's running CRC costs O(log n) per frame, not a pass over its bytes.
const gf2Times = (mat: Uint32Array, vec: number): number => {
  let sum = 0;
  for (let i = 0; vec !== 0; i++, vec >>>= 1) if (vec & 1) sum ^= mat[i]!;
  return sum >>> 0;
};
const gf2Square = (square: Uint32Array, mat: Uint32Array): void => {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(mat, mat[n]!);
};

export function crc32Combine(crc1: number, crc2: number, length2: number): number {
  if (length2 <= 0) return crc1 >>> 0;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = 0xedb88320;
  let row = 1;
  for (let n = 1; n < 32; n++) {
    odd[n] = row;
    row <<= 1;
  }
  gf2Square(even, odd);
  gf2Square(odd, even);
  let len = length2;
  let crc = crc1 >>> 0;
  do {
    gf2Square(even, odd);
    if (len & 1) crc = gf2Times(even, crc);
    len = Math.floor(len / 2);
    if (len === 0) break;
    gf2Square(odd, even);
    if (len & 1) crc = gf2Times(odd, crc);
    len = Math.floor(len / 2);
  } while (len !== 0);
  return (crc ^ crc2) >>> 0;
}
