import { describe, expect, it } from 'vitest';
import { SeededRandom } from './random.js';

const draw = (seed: number, count: number): number[] => {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () => random.next());
};

describe('SeededRandom', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    expect(draw(7, 50)).toEqual(draw(7, 50));
    expect(draw(7, 50)).not.toEqual(draw(8, 50));
  });

  it('separates seeds that differ only above 32 bits', () => {
    expect(draw(1, 10)).not.toEqual(draw(1 + 2 ** 32, 10));
  });

  it('stays inside the requested ranges', () => {
    const random = new SeededRandom(3);
    for (let i = 0; i < 2_000; i++) {
      const value = random.between(5, 6);
      expect(value).toBeGreaterThanOrEqual(5);
      expect(value).toBeLessThan(6);
      const whole = random.int(1, 3);
      expect([1, 2, 3]).toContain(whole);
    }
  });

  it('makes lowercase hex ids of the requested size', () => {
    const random = new SeededRandom(11);
    expect(random.hex(16)).toMatch(/^[0-9a-f]{32}$/);
    expect(random.hex(8)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses a seed that is not an integer', () => {
    expect(() => new SeededRandom(1.5)).toThrow(/integer/);
  });
});
