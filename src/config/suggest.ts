// "Did you mean" for misspelt keys (pure).

/**
 * The known key closest to `typo` when it is close enough to be a slip: optimal string alignment distance
 * (a swap of two neighbours counts once) at most 2, and at most a third of the typo's length, compared
 * case-insensitively with `-` read as `_`.
 */
export function suggestKey(typo: string, known: readonly string[]): string | undefined {
  const t = typo.toLowerCase().replaceAll('-', '_');
  if (t.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    // Why: the distance is at least the length difference, and anything past 2 is never suggested; skipping
    // keeps a long service name from costing its length for every misspelt dependency.
    if (Math.abs(k.length - t.length) > 2) continue;
    const d = editDistance(t, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.min(2, Math.max(1, Math.floor(t.length / 3))) ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}
