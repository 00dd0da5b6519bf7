// The one seeded random generator of the tests: the same seed gives the same cases, kill moments and bytes, so a
// failure replays. Every test that draws random numbers uses it and names its seed in its failure messages.
import assert from 'node:assert/strict';

/** mulberry32: 32 bits of state, good enough to pick mutations and moments, and fast. Floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Choices drawn from one generator. */
export class Rng {
  readonly seed: number;
  private readonly next: () => number;
  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.next = mulberry32(seed);
  }
  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** An integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** A seed for case `index` of a run seeded with `seed`, so one case can be regenerated on its own. */
export function caseSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index, 0xc2b2ae35)) >>> 0;
}

/** The seed in environment variable `name` (to replay a failure), else `fallback`. */
export function seedFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const seed = Number(raw);
  assert.ok(Number.isSafeInteger(seed) && seed >= 0, `${name} must be a non-negative integer, got ${raw}`);
  return seed;
}
