// Durations as operators write them: seconds as a number, or a string with a unit (pure).

/** What a duration looks like, for messages and the docs. */
export const DURATION_EXPECTED = 'a duration: seconds as a number > 0, or a string like 500ms, 5s, 2m, 1h';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** setTimeout fires at once past this (about 24.8 days), so longer durations would mean "no timeout at all". */
const MAX_MS = 2 ** 31 - 1;

/**
 * Milliseconds for `5`, `0.5`, `"500ms"`, `"5s"`, `"1.5m"`, `"1h"`; undefined for anything else (zero,
 * negative, NaN, a string without a unit, less than 1 ms, more than 24 days).
 */
export function parseDuration(value: unknown): number | undefined {
  let ms: number;
  if (typeof value === 'number') {
    ms = value * 1000;
  } else if (typeof value === 'string') {
    const m = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)$/.exec(value);
    if (!m) return undefined;
    ms = Number(m[1]) * UNIT_MS[m[2]!]!;
  } else {
    return undefined;
  }
  if (!Number.isFinite(ms)) return undefined;
  const rounded = Math.round(ms);
  return rounded >= 1 && rounded <= MAX_MS ? rounded : undefined;
}
