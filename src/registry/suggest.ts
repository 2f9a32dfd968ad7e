/** "Did you mean" suggestions by edit distance. Pure. */

/** Levenshtein distance with adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i += 1) d[i * cols] = i;
  for (let j = 0; j < cols; j += 1) d[j] = j;
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The candidates closest to `input` (case, dashes and underscores ignored), best first. */
export function suggest(input: string, candidates: readonly string[], max = 3): string[] {
  const needle = squash(input);
  const scored = candidates
    .map((candidate) => {
      const hay = squash(candidate);
      const distance = hay.includes(needle) || needle.includes(hay) ? 1 : editDistance(needle, hay);
      return { candidate, distance: hay === needle ? 0 : distance };
    })
    .filter(({ distance }) => distance <= Math.max(2, Math.floor(needle.length / 3)))
    .sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate));
  return [...new Set(scored.map(({ candidate }) => candidate))].slice(0, max);
}
