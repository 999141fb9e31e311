/**
 * "Did you mean" for names an installer typed by hand (keys, bus names, profile ids).
 * A near-miss is far more likely than an invention: `baudrate` for `baudRate`,
 * `generic/combustable-gas` for `generic/combustible-gas`.
 */

/** Levenshtein distance, case-insensitive: a wrong capital is the commonest slip in YAML keys. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[t.length]!;
}

/**
 * Candidates close enough to be a plausible typo, nearest first. The allowance grows with the
 * length of the word (a third of it, at least 2) so short keys do not match everything.
 */
export function nearest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const allowance = Math.max(2, Math.floor(word.length / 3));
  return [...new Set(candidates)]
    .map((c) => ({ c, d: editDistance(word, c) }))
    .filter(({ c, d }) => d <= allowance || (word.length >= 4 && c.length >= 4 && (contains(c, word) || sharedPrefix(c, word) >= word.length - 1)))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map(({ c }) => c);
}

/** Either contains the other: `combustible-gas` for `generic/combustible-gas`. */
function contains(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x.includes(y) || y.includes(x);
}

/** `retry` → `retries`: the word is the candidate's stem with at most one letter changed at the end. */
function sharedPrefix(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/** ` (did you mean "baudRate"?)` or "" — to append to a message. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const near = nearest(word, candidates, 1);
  return near.length === 0 ? '' : ` (did you mean "${near[0]}"?)`;
}

/** `"a", "b", "c"` — for "known buses: …" style lists. */
export function quoteList(items: Iterable<string>): string {
  const list = [...items];
  return list.length === 0 ? '(none)' : list.map((i) => `"${i}"`).join(', ');
}
