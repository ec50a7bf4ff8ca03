/**
 * Deterministic randomness: the same (function, minute) always yields the same traffic,
 * so overlapping or repeated queries see identical data without storing any of it.
 */

/** cyrb53: a fast 53-bit string hash, good enough to seed a PRNG. */
export function hashString(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** mulberry32 seeded from a key; `next()` is uniform in [0, 1). */
export class SeededRandom {
  private state: number;

  constructor(key: string) {
    this.state = hashString(key) >>> 0;
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal, by table lookup of the inverse CDF (fast: millions are drawn per query). */
  normal(): number {
    const x = this.next() * (normalTableSize - 1);
    const i = Math.floor(x);
    const a = normalTable[i]!;
    return a + (normalTable[i + 1]! - a) * (x - i);
  }

  /** Log-normal with the given median and shape. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Index picked with probability proportional to its weight. */
  weighted(cumulativeWeights: readonly number[]): number {
    const total = cumulativeWeights[cumulativeWeights.length - 1] ?? 0;
    const x = this.next() * total;
    for (let i = 0; i < cumulativeWeights.length; i++) if (x < cumulativeWeights[i]!) return i;
    return cumulativeWeights.length - 1;
  }
}

const normalTableSize = 4097;

/** Acklam's rational approximation of the standard normal inverse CDF (|error| < 1.2e-9). */
function inverseNormal(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const poly = (k: number[], x: number) => k.reduce((acc, v) => acc * x + v, 0);
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - 0.02425) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

// Quantiles at the centres of equal slices, so the tails stay finite (about ±3.5σ).
const normalTable = Float64Array.from({ length: normalTableSize }, (_, i) =>
  inverseNormal((i + 0.5) / normalTableSize),
);

/** Hex digits derived from a key (request ids, stream names, code hashes): one string hash, then integer mixing. */
export function hexFrom(key: string, length: number): string {
  const h = hashString(key);
  const low = h >>> 0;
  const high = Math.floor(h / 4294967296) >>> 0;
  let out = '';
  for (let i = 0; out.length < length; i++) {
    // murmur3's finaliser over the hash and the word index
    let w = (low + Math.imul(i + 1, 0x9e3779b9)) ^ high;
    w = Math.imul(w ^ (w >>> 16), 0x85ebca6b);
    w = Math.imul(w ^ (w >>> 13), 0xc2b2ae35);
    w ^= w >>> 16;
    out += (w >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

/** A v4-shaped UUID derived from a key. */
export function uuidFrom(key: string): string {
  const h = hexFrom(key, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
