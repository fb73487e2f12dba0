/**
 * How djs's phrase index (migration 009) cuts text, and the FTS5 queries that read it.
 *
 * Why: the trigram index keeps no positions, so for a keyword such as "node.js" or "prompt engineering" it
 * only says which postings hold all the keyword's trigrams. The phrase index keeps positions of whole
 * chunks of text, so it can say exactly which postings hold the keyword.
 *
 * How: a chunk is what lies between white space: every other character is a token character (FTS5
 * unicode61, every category, the rarer white space as tokenchars), so "node.js", "(python)" and "ci/cd,"
 * are chunks. The migration's triggers replace line feeds, carriage returns, tabs and two spaces in a row
 * with the token " U+0001 ", so that two chunks are neighbours in the index exactly when one plain space
 * separates them in the text, as between a keyword's words (keywords hold no other white space).
 * Everything happens in SQL, so any connection can store postings.
 *
 * A keyword of one chunk occurs exactly in the postings holding a chunk that contains it: the vocabulary
 * (every chunk of 4 or more characters any posting held, with a trigram index of its own) lists those
 * chunks, and the phrase index finds the postings holding a chunk that starts with one of them. A keyword of
 * several chunks `c1 c2 … cn` is the phrase `c1 c2 … cn*`: exact for the occurrences where c1 is a whole
 * chunk; the others hold a chunk ending with c1: looked up as the phrase with that chunk first when the
 * vocabulary lists a few, else among the postings holding all the keyword's trigrams, compared with the
 * text. A last chunk of 1–2 characters is left to that comparison too: as a prefix it would make FTS5
 * merge every chunk starting with it.
 */
import { foldCase } from './fold-case.js';

/** The shortest chunk the vocabulary keeps, in characters: shorter keywords use the trigram index. */
export const VOCABULARY_MIN = 4;
/** A last chunk this short is compared with the text rather than looked up as a prefix. */
const SHORT_CHUNK = 2;

const length = (text: string): number => [...text].length;

/** An FTS5 string: between double quotes, quotes doubled; never parsed as query syntax. */
function quoted(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * The keyword's chunks (a normalised keyword holds single spaces only). The FTS5 queries take them as typed:
 * the index folds their case as it folded the text's.
 */
export function chunks(keyword: string): string[] {
  return keyword.split(' ');
}

/** The phrase query matching the postings that hold the keyword with its first chunk whole. */
export function phraseQuery(keyword: string): string {
  return `${quoted(keyword)} *`;
}

/**
 * The chunks whose prefix queries find exactly the postings holding a one-chunk keyword, given the
 * vocabulary's chunks that contain it: the keyword itself and those of the others that do not start with
 * one already listed.
 */
export function oneChunkStarts(keyword: string, containing: readonly string[]): string[] {
  // In sorted order a chunk comes right after the chunks it starts with, which find it already.
  const needed: string[] = [];
  for (const chunk of [foldCase(keyword), ...containing.map(foldCase)].sort()) {
    const last = needed.at(-1);
    if (last === undefined || !chunk.startsWith(last)) needed.push(chunk);
  }
  return needed;
}

/** The query matching the postings holding a chunk that starts with one of `starts`. */
export function startsQuery(starts: readonly string[]): string {
  return starts.map((chunk) => `${quoted(chunk)} *`).join(' OR ');
}

/** What most often follows a word in a chunk: punctuation and Markdown. */
const CHUNK_ENDINGS = ['', ',', '.', ')', ':', ';', '/', '**', '!', '?'];

/**
 * For a keyword ending with a short chunk ("embedded c"): the phrases with that chunk whole or followed by
 * common punctuation ("embedded c", "embedded c,", "embedded c)" …), all certain and cheap (no prefix).
 */
export function shortLastChunkQuery(keyword: string): string {
  return CHUNK_ENDINGS.map((ending) => quoted(keyword + ending)).join(' OR ');
}

/** The keyword without a last chunk of 1–2 characters ("embedded c" → "embedded"), else null. */
export function withoutShortLastChunk(keyword: string): string | null {
  const parts = keyword.split(' ');
  if (parts.length < 2 || length(parts.at(-1)!) > SHORT_CHUNK) return null;
  return parts.slice(0, -1).join(' ');
}

/** The word index's token characters (its tokenizer: categories L* N* Co M*, tokenchars '+#'). */
export const WORD_CLASS = '\\p{L}\\p{N}\\p{Co}\\p{M}+#';

/**
 * A character of a word as the word index sees it (letters, digits, marks, private use, '+' and '#'), and
 * white space as keywords lose it (normaliseKeywords trims and collapses \s), for characters beyond ASCII.
 * Made on first use: V8 parses a Unicode class when it makes the pattern, a fraction of a millisecond that
 * every command opening the database would pay (SPEC §12).
 */
let wordCharacter: RegExp | undefined;
let whiteSpace: RegExp | undefined;

function isWordCharacter(code: number): boolean {
  if (code < 128) {
    return (
      (code >= 97 && code <= 122) ||
      (code >= 65 && code <= 90) ||
      (code >= 48 && code <= 57) ||
      code === 43 ||
      code === 35
    );
  }
  return (wordCharacter ??= new RegExp(`[${WORD_CLASS}]`, 'u')).test(String.fromCodePoint(code));
}

function isWhiteSpace(code: number): boolean {
  return code < 128
    ? code === 32 || (code >= 9 && code <= 13)
    : (whiteSpace ??= /\s/u).test(String.fromCodePoint(code));
}

/** One more than the highest code point: two code points make one number below 2^53. */
const PAIR = 0x110000;

/** The phrase index's token for a run of 1–2 code points: U+0003, then each in hexadecimal ("c/" → 63_2f). */
function pieceToken(codes: readonly number[]): string {
  return `\u0003${codes.map((code) => code.toString(16)).join('_')}`;
}

/**
 * The pieces of a posting (migration 010, SQL djs_punctuation_pieces): the distinct runs of 1–2 code points
 * of the case-folded title and description that hold a character other than a word character and no white
 * space, as phrase index tokens. A punctuation keyword (1–2 characters, not all word characters, never
 * white space) occurs in a posting exactly when the piece it folds to is among them.
 */
export function punctuationPieces(...texts: ReadonlyArray<string | null>): string {
  // Each piece as a number while collecting (one code point, or two as first × PAIR + second + PAIR):
  // a posting holds hundreds of punctuation characters but only a few dozen distinct pieces.
  const pieces = new Set<number>();
  for (const text of texts) {
    if (text === null) continue;
    const folded = foldCase(text);
    let previous = -1; // the code point before, when it is not white space
    let previousIsWord = true;
    for (let at = 0; at < folded.length; at++) {
      const code = folded.codePointAt(at)!;
      if (code > 0xffff) at++;
      if (isWhiteSpace(code)) {
        previous = -1;
        continue;
      }
      const wordCharacter = isWordCharacter(code);
      if (!wordCharacter) pieces.add(code);
      if (previous !== -1 && !(wordCharacter && previousIsWord)) pieces.add(PAIR + previous * PAIR + code);
      previous = code;
      previousIsWord = wordCharacter;
    }
  }
  return [...pieces]
    .map((piece) =>
      piece < PAIR ? pieceToken([piece]) : pieceToken([Math.floor(piece / PAIR) - 1, piece % PAIR]),
    )
    .join(' ');
}

/**
 * The phrase index's token answering a punctuation keyword exactly (see punctuationPieces), or null when its
 * folded form is no piece (longer than 2 code points, all word characters or white space).
 */
export function punctuationPiece(keyword: string): string | null {
  const codes = [...foldCase(keyword)].map((character) => character.codePointAt(0)!);
  if (codes.length === 0 || codes.length > 2 || codes.some(isWhiteSpace)) return null;
  return codes.every(isWordCharacter) ? null : pieceToken(codes);
}
