// "Did you mean ...?" for command names, group slugs and anything else typed.

/** Optimal string alignment distance (Levenshtein plus adjacent swaps: `jion` → `join` is 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The closest candidate, if it is close enough to be a plausible typo:
 * within a third of the word's length (at least 1, at most 3 edits), or a
 * candidate that starts with what was typed.
 */
export function nearest(input: string, candidates: Iterable<string>): string | undefined {
  const typed = input.toLowerCase();
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    const score = c.startsWith(typed) && typed.length >= 3 ? 0.5 : editDistance(typed, c);
    if (!best || score < best.score) best = { candidate, score };
  }
  const allowed = Math.min(3, Math.max(1, Math.floor(typed.length / 3)));
  return best && best.score <= allowed ? best.candidate : undefined;
}
