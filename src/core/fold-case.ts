/**
 * Case folding for the comparisons search makes outside FTS5 (the location filter, short punctuation
 * keywords). It lives in core/ because the database registers it as the SQL function `djs_fold` on every
 * connection it opens, and the search code folds its needles the same way.
 */
export function foldCase(text: string): string {
  return text.toLowerCase();
}
