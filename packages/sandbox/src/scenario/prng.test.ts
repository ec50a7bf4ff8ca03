import { describe, expect, it } from 'vitest';
import { SeededRandom, hexFrom, uuidFrom } from './prng.js';

describe('seeded randomness', () => {
  it('repeats for the same key and differs for another', () => {
    const a = new SeededRandom('backend|2026-02-03T06:30');
    const b = new SeededRandom('backend|2026-02-03T06:30');
    const c = new SeededRandom('backend|2026-02-03T06:31');
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('draws log-normal values around the median', () => {
    const random = new SeededRandom('durations');
    const values = Array.from({ length: 20_000 }, () => random.logNormal(3.2, 0.45)).sort((x, y) => x - y);
    expect(values[10_000]).toBeGreaterThan(3.0);
    expect(values[10_000]).toBeLessThan(3.4);
  });

  it('makes ids of the right shape', () => {
    expect(hexFrom('x', 32)).toMatch(/^[0-9a-f]{32}$/);
    expect(uuidFrom('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('normal draws', () => {
  it('have mean 0 and standard deviation 1', () => {
    const random = new SeededRandom('normal');
    const values = Array.from({ length: 50_000 }, () => random.normal());
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(sd).toBeGreaterThan(0.97);
    expect(sd).toBeLessThan(1.03);
  });
});
