/** The keys of `djs review`, as its --help lists them (kept apart so the help loads nothing else). */
export const REVIEW_KEYS: ReadonlyArray<readonly [key: string, does: string]> = [
  ['s', 'save'],
  ['a', 'applied (asks for an optional note)'],
  ['x', 'not interested (archived)'],
  ['o', 'open the apply link in the browser (BROWSER, as for Google)'],
  ['d', 'the whole description'],
  ['n', 'next (also Enter)'],
  ['u', 'undo the last decision'],
  ['q', 'back (also Esc)'],
];

/** The same, as the foot of every card shows it. */
export const REVIEW_FOOTER =
  '[s] save  [a] applied  [x] not interested  [o] open  [d] description  [n] next  [u] undo  [q] back';
