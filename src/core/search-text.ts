/**
 * The text djs's phrase index holds (migration 009), and the queries that read it. It lives in core/ because
 * the database registers `djs_phrase_text` on every connection (its triggers call it) and search builds its
 * queries with the same rules.
 *
 * Why: the trigram index keeps no positions, so for a keyword such as "node.js" or "prompt engineering" it
 * only says which postings hold all the keyword's trigrams. The phrase index says, with positions, which
 * postings hold the keyword's words separated by exactly the keyword's separators: a certain subset.
 *
 * How: the folded text is cut into words (letters, digits, marks, private-use characters, '+' and '#', like
 * the word index) and the separators between them. Each word becomes one token together with the separators
 * that follow it, spelled as `_` and, per character, its code point in hex ended by `z` ("node." + "js" →
 * `node_2ez js`). A single space is spelled as nothing: two plain words in a row are two bare tokens. The
 * tokens reach FTS5's ascii tokenizer (non-ASCII characters and `_+#` are token characters, no other case
 * folding than ASCII's on already folded text), so what the index stores does not depend on SQLite's Unicode
 * tables.
 *
 * A keyword that starts with a word, say `w1 s1 w2 … wn sn`, is the phrase `w1+s1 … wn+sn`, its last token a
 * prefix: a posting matches exactly when its text holds `w1 s1 … wn sn` with w1 a whole word. Occurrences where
 * w1 ends a longer word ("xnode.js") are among the postings holding the token of such a word followed by s1
 * (the vocabulary lists the words ending with w1) or, when w1 is too short for the vocabulary ("ci/cd"),
 * among those holding all the keyword's trigrams; only those are compared with the text.
 *
 * A keyword that is one word ("scala") occurs exactly in the postings where a word containing it starts a
 * token. Those words are looked up in the vocabulary (every word of 4 or more characters the postings ever
 * held, with a trigram index of its own), so such a keyword needs no comparison with the text at all.
 * Each posting's tokens start with its user's marker token, `_u` and the user id in base 36 (no separator
 * spelling starts with `_u`).
 */
import { foldCase } from './fold-case.js';

/** The shortest word the vocabulary keeps, in characters: shorter keywords use the trigram index alone. */
export const VOCABULARY_MIN = 4;

const WORD_CHARS = '\\p{L}\\p{N}\\p{Co}\\p{M}+#';
const WORD_OR_SEPARATORS = new RegExp(`[${WORD_CHARS}]+|[^${WORD_CHARS}]+`, 'gu');
const STARTS_WITH_WORD = new RegExp(`^[${WORD_CHARS}]`, 'u');
const ONE_WORD = new RegExp(`^[${WORD_CHARS}]+$`, 'u');
const WORDS = new RegExp(`[${WORD_CHARS}]{${VOCABULARY_MIN}}[${WORD_CHARS}]*`, 'gu');

/** Separators as the phrase index spells them after a word; a single space as nothing. */
function separatorSpelling(separators: string): string {
  if (separators === ' ') return '';
  let spelling = '_';
  for (const char of separators) spelling += `${char.codePointAt(0)!.toString(16)}z`;
  return spelling;
}

/** Folded text → the phrase index's tokens. */
function phraseTokens(folded: string): string[] {
  const tokens: string[] = [];
  const parts = folded.match(WORD_OR_SEPARATORS) ?? [];
  let index = 0;
  // Separators before the first word: a token of their own, which no keyword's phrase starts with.
  if (parts[0] !== undefined && !STARTS_WITH_WORD.test(parts[0]))
    tokens.push(separatorSpelling(parts[index++]!));
  while (index < parts.length) {
    const word = parts[index++]!;
    const separators = parts[index++] ?? '';
    tokens.push(word + (separators ? separatorSpelling(separators) : ''));
  }
  return tokens;
}

/** Title and description joined by a line feed, which no keyword contains, so none runs from one into the other. */
function postingText(title: unknown, description: unknown): string {
  return foldCase(
    `${typeof title === 'string' ? title : ''}\n${typeof description === 'string' ? description : ''}`,
  );
}

/** The token every posting of the user starts with in the phrase index. */
export function userPhraseMarker(userId: number): string {
  return `_u${userId.toString(36)}`;
}

/** What the phrase index holds for a posting (SQL: djs_phrase_text). */
export function phraseIndexText(userId: unknown, title: unknown, description: unknown): string {
  return `${userPhraseMarker(Number(userId))} ${phraseTokens(postingText(title, description)).join(' ')}`;
}

/** The posting's distinct words for the vocabulary, as a JSON array (SQL: djs_vocabulary). */
export function vocabularyWords(title: unknown, description: unknown): string {
  return JSON.stringify([...new Set(postingText(title, description).match(WORDS))]);
}

/** Whether the keyword is one word, found through the vocabulary when it is long enough. */
export function isOneWord(keyword: string): boolean {
  return ONE_WORD.test(keyword);
}

/**
 * The FTS5 query (for the phrase index) matching exactly the postings that hold a one-word keyword, given the
 * vocabulary's words that contain it: any token starting with the keyword or with one of those words.
 */
export function oneWordQuery(keyword: string, containing: readonly string[]): string {
  const folded = foldCase(keyword);
  // A word starting with another one in the list is found by that one's prefix query already.
  // In sorted order a word comes right after the words it starts with.
  const needed: string[] = [];
  for (const word of [folded, ...containing].sort()) {
    const last = needed.at(-1);
    if (last === undefined || !word.startsWith(last)) needed.push(word);
  }
  return needed.map((word) => `"${word}" *`).join(' OR ');
}

/** The keyword's first word (folded), or null when it starts with a separator (".net"). */
export function firstWord(keyword: string): string | null {
  const folded = foldCase(keyword);
  return STARTS_WITH_WORD.test(folded) ? folded.match(WORD_OR_SEPARATORS)![0] : null;
}

/**
 * The keyword without its last word when that is one or two characters ("embedded c" → "embedded "), else
 * null. A phrase ending with such a prefix token makes FTS5 merge the entries of every token starting with it.
 */
export function withoutShortLastWord(keyword: string): string | null {
  const parts = foldCase(keyword).match(WORD_OR_SEPARATORS) ?? [];
  const last = parts.at(-1);
  if (parts.length < 3 || last === undefined || !STARTS_WITH_WORD.test(last) || [...last].length > 2)
    return null;
  return parts.slice(0, -1).join('');
}

/** The FTS5 query (for the phrase index) matching the postings that certainly hold a keyword starting with a word. */
export function phraseQuery(keyword: string): string {
  // Tokens hold no '"': separators are spelled in hex.
  return `"${phraseTokens(foldCase(keyword)).join(' ')}" *`;
}

/**
 * The FTS5 query (for the phrase index) matching the postings where one of `longer` (words ending with the
 * keyword's first word) is followed by the keyword's first separators: every posting holding the keyword with
 * its first word inside a longer word is among them.
 */
export function longerFirstWordQuery(keyword: string, longer: readonly string[]): string {
  const tokens = phraseTokens(foldCase(keyword));
  const separators = tokens[0]!.slice(firstWord(keyword)!.length);
  // A keyword of one word and its separators ("node.") may be followed by more separators in the text.
  const prefix = tokens.length === 1 ? ' *' : '';
  return longer.map((word) => `"${word}${separators}"${prefix}`).join(' OR ');
}
