// "Did you mean ...?" for command names, group slugs and anything else typed.

/**
 * Optimal string alignment distance (Levenshtein plus adjacent swaps: `jion` → `join` is 1).
 * Three rolling rows, not a matrix: the clinic's room guard runs this on the first word of
 * every message a room sends the bot.
 */
export function editDistance(a: string, b: string): number {
  let twoBack = new Uint16Array(b.length + 1);
  let prev = Uint16Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, twoBack[j - 2]! + 1);
      row[j] = best;
    }
    [twoBack, prev, row] = [prev, row, twoBack];
  }
  return prev[b.length]!;
}

/** Whether `a` is at most `max` edits from `b`; words whose lengths differ by more can't be, and aren't measured. */
export function withinEdits(a: string, b: string, max: number): boolean {
  return Math.abs(a.length - b.length) <= max && editDistance(a, b) <= max;
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
