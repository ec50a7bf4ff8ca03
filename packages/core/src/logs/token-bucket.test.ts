import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then exactly the rate per second', () => {
    let t = 0;
    const bucket = new TokenBucket(5, 5, () => t);
    const takenAtStart = Array.from({ length: 10 }, () => bucket.tryTake()).filter(Boolean).length;
    expect(takenAtStart).toBe(5);
    let taken = 0;
    // Ten simulated seconds in 10 ms steps, taking whenever allowed.
    for (let step = 0; step < 1000; step++) {
      t += 10;
      while (bucket.tryTake()) taken++;
    }
    expect(taken).toBe(50);
  });

  it('says how long to wait for the next token', () => {
    let t = 1_000;
    const bucket = new TokenBucket(4, 1, () => t);
    expect(bucket.msUntilToken()).toBe(0);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.msUntilToken()).toBe(250);
    t += 100;
    expect(bucket.msUntilToken()).toBe(150);
    expect(bucket.tryTake()).toBe(false);
    t += 150;
    expect(bucket.tryTake()).toBe(true);
  });

  it('never stores more than the burst, however long it idles', () => {
    let t = 0;
    const bucket = new TokenBucket(10, 3, () => t);
    t += 3_600_000;
    expect(bucket.available).toBe(3);
  });

  it('does not refill when the clock goes backwards', () => {
    let t = 10_000;
    const bucket = new TokenBucket(1, 1, () => t);
    bucket.tryTake();
    t = 0;
    expect(bucket.tryTake()).toBe(false);
  });

  it('rejects a rate that would never refill', () => {
    expect(() => new TokenBucket(0, 1, () => 0)).toThrow(/ratePerSecond/);
  });
});
