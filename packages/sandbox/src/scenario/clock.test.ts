import { describe, expect, it } from 'vitest';
import { ScenarioClock } from './clock.js';

describe('scenario clock', () => {
  it('stands still while paused, counts how long, and runs on the real clock again on resume', () => {
    let real = 1_000_000;
    const clock = new ScenarioClock(() => real);
    clock.advance(60);
    clock.pause();
    real += 30_000;
    expect(clock.now()).toBe(1_000_000 + 60_000);
    expect(clock.pausedForMs()).toBe(30_000);
    expect(clock.reading().pausedAt).toBe(new Date(1_000_000).toISOString());
    clock.pause(); // a second pause keeps the first moment
    expect(clock.pausedForMs()).toBe(30_000);
    clock.resume();
    expect(clock.now()).toBe(real + 60_000);
    expect(clock.pausedForMs()).toBe(0);
    expect(clock.reading()).toEqual({ realMs: real, scenarioMs: real + 60_000, advancedMs: 60_000 });
  });
});
