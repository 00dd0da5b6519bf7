// Sizes as operators write them: bytes as an integer, or a string with a unit (pure).

/** What a size looks like, for messages and the docs. */
export const SIZE_EXPECTED = 'a size: bytes as an integer >= 1024, or a string like 512KiB, 10MiB, 1GiB';

// Units count in 1024s whichever way they are written (K, KB and KiB alike), as logrotate's `size` does.
const UNIT_BYTES: Record<string, number> = { B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };
const MIN_BYTES = 1024;

/** Bytes for `4096`, `"512KiB"`, `"10M"`, `"1.5GB"`; undefined for anything else or less than 1 KiB. */
export function parseSize(value: unknown): number | undefined {
  let bytes: number;
  if (typeof value === 'number') {
    bytes = value;
  } else if (typeof value === 'string') {
    const m = /^(\d+(?:\.\d+)?)(B|[KMG](?:i?B)?)$/.exec(value);
    if (!m) return undefined;
    bytes = Math.round(Number(m[1]) * UNIT_BYTES[m[2]![0]!]!);
  } else {
    return undefined;
  }
  return Number.isSafeInteger(bytes) && bytes >= MIN_BYTES ? bytes : undefined;
}
