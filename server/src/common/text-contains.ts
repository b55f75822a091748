/** A LIKE pattern that finds `term` anywhere in a text, its `%`, `_` and `\` taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The operator that finds a term whatever the case: ILIKE, or plain LIKE when no character of the
 * term has a case (Chinese, digits, punctuation). Both then match the same rows, but LIKE does not
 * lower-case every text it scans: a search of the district's issues for 垃圾 took about a third
 * of the time.
 */
export function caseInsensitiveLike(term: string): 'LIKE' | 'ILIKE' {
  return term.toLowerCase() === term.toUpperCase() ? 'LIKE' : 'ILIKE';
}
