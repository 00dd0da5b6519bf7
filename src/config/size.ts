// Sizes as operators write them: a number with a binary unit, `512MiB`, `2GiB` (pure).

/** What a size looks like, for messages and the docs. */
export const SIZE_EXPECTED = 'a size with a binary unit, like 512MiB or 2GiB (KiB, MiB, GiB, TiB)';

const UNIT_BYTES: Record<string, number> = { KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 };

/**
 * Bytes for `512MiB`, `1.5GiB`, `64 KiB`; undefined for anything else: a bare number (bytes or megabytes?), a
 * decimal unit (`MB`: is it 10^6 or 2^20?), zero, or less than one byte.
 */
export function parseSize(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?|\.\d+) ?(KiB|MiB|GiB|TiB)$/.exec(value);
  if (!m) return undefined;
  const bytes = Math.round(Number(m[1]) * UNIT_BYTES[m[2]!]!);
  return Number.isSafeInteger(bytes) && bytes >= 1 ? bytes : undefined;
}

/** Bytes for people, in the largest binary unit that keeps the figure at least 1: `2.3 GiB`, `512 MiB`. */
export function formatSize(bytes: number): string {
  const units = ['TiB', 'GiB', 'MiB', 'KiB'] as const;
  for (const unit of units) {
    const n = bytes / UNIT_BYTES[unit]!;
    if (n >= 1) return `${Number.isInteger(n) ? n : n.toFixed(1)} ${unit}`;
  }
  return `${bytes} B`;
}
