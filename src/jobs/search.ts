/**
 * Ranked search over the user's stored postings (SPEC §8): the seed's scoring, made fast with FTS5.
 *
 * What "a keyword occurs in a posting" means
 * ------------------------------------------
 * Keywords are compared case-insensitively (Unicode case folding, so "KRAKÓW" finds "Kraków"; accents are
 * kept, so "Zurich" does not find "Zürich"), against the title and, separately, the description:
 *   * a keyword of 3 or more characters occurs when it is a substring of either, exactly as the seed's
 *     `keyword.lower() in text.lower()` ("java" occurs in "JavaScript", "prompt engineering" is a phrase,
 *     "c++" and "node.js" are plain text). Answered by the trigram index.
 *   * a keyword of 1–2 characters made of letters, digits, '+' or '#' ("go", "c", "r", "ai", "c#") occurs
 *     when it is a whole word, i.e. not preceded or followed by a letter, digit, mark, '+' or '#' ("go"
 *     occurs in "Go, Rust" but not in "good"; "c" not in "c++"). As substrings they would occur in nearly
 *     every posting. Answered by the word index.
 *   * any other keyword of 1–2 characters (".", "c/", "*") occurs as a substring. Answered by the phrase
 *     index's punctuation pieces (migration 010, core/search-text.ts): one token each.
 * Keywords are trimmed, inner white space is collapsed to one space, they are NFC-normalised, and repeats
 * (ignoring case) count once. Keywords are data, never query syntax: they reach SQLite as bound parameters
 * and FTS5 as quoted strings, so AND, OR, NEAR(, ", *, -x and '; DROP TABLE are searched as text.
 *
 * Ranking
 * -------
 * score (keywords that occur) desc, then relevance: FTS5's bm25() over the user's word index (whole-word
 * occurrences of the keywords, the title weighing 4× the description), then posted date desc, added_at
 * desc. bm25() is evaluated only for the postings that can make the page (those scoring at least what the
 * last row of the page scores), which is what keeps a search fast however common its keywords are. Its
 * IDF and average length are FTS5's own, over the user's postings (each user has their own word index,
 * db/word-index.ts: nobody else's postings weigh in my order); it only ever orders postings of equal score.
 *
 * How it is fast
 * --------------
 * Each keyword is a few FTS5 queries that return matching row ids as a single group_concat string; scores
 * and per-posting keyword masks are then counted in typed arrays. A 3-character keyword is one trigram of
 * the trigram index (migration 009), which keeps no positions. A longer one is answered by the phrase index
 * and its vocabulary of chunks (core/search-text.ts): exactly, or, for the few keywords the phrase index
 * cannot settle alone, from the trigram superset, whose remaining candidates are compared with the text.
 * The trigram and phrase indexes number each posting by its owner first, and the vocabulary each chunk
 * (USER_STRETCH, db/search-vocabulary.ts): when other people's postings share the database, every query of
 * theirs seeks to the user's stretch of each list and stops after it, so theirs are never read; the word
 * index is the user's own. bm25() is computed only for the postings that can make the page (for a large
 * tied group, SQLite keeps only the most relevant), the dates only for the rows tied at the page's end, and
 * the posting rows themselves (≈2 KB each) are read only for the page.
 */
import { UsageError } from '../core/errors.js';
import { foldCase } from '../core/fold-case.js';
import type { Db } from '../db/database.js';
import { hasWordIndex, wordIndexName } from '../db/word-index.js';
import { userStretch } from '../db/search-vocabulary.js';
import type { JobStatus, Pay, SalaryPeriod } from './model.js';
import { linksOf } from './posting-links.js';
import { hasControlCharacter } from '../core/sanitize.js';
import { visiblePostings, type VisibilityOptions } from './posting-filters.js';
import {
  chunks,
  oneChunkStarts,
  phraseQuery,
  punctuationPiece,
  shortLastChunkQuery,
  startsQuery,
  VOCABULARY_MIN,
  withoutShortLastChunk,
  WORD_CLASS,
} from '../core/search-text.js';

export const MAX_KEYWORDS = 20;
export const MAX_KEYWORD_LENGTH = 200;
/** Keywords shorter than this (in characters) cannot use the trigram index. */
export const TRIGRAM_MIN = 3;
/** bm25() column weights: a keyword in the title counts this many times one in the description. */
export const TITLE_WEIGHT = 4;

/**
 * Made on first use, for keywords beyond ASCII: V8 parses a Unicode class when it makes the pattern, a
 * fraction of a millisecond each that every command loading search would pay (SPEC §12). Among ASCII
 * characters the class is exactly [A-Za-z0-9+#].
 */
let wordOnly: RegExp | undefined;
let wordTokensPattern: RegExp | undefined;
const ASCII_WORD_ONLY = /^[A-Za-z0-9+#]+$/;
const ASCII_WORD_TOKENS = /[A-Za-z0-9+#]+/g;
const isAscii = (text: string): boolean => /^[\0-\x7f]*$/.test(text);

export type KeywordKind = 'substring' | 'word' | 'punctuation';

/** An FTS5 string: the text between double quotes, with quotes doubled. Never parsed as query syntax. */
export function ftsString(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

export function keywordKind(keyword: string): KeywordKind {
  if ([...keyword].length >= TRIGRAM_MIN) return 'substring';
  const word = isAscii(keyword) ? ASCII_WORD_ONLY : (wordOnly ??= new RegExp(`^[${WORD_CLASS}]+$`, 'u'));
  return word.test(keyword) ? 'word' : 'punctuation';
}

/**
 * The trigram index's query for a keyword of 3 or more characters: all its trigrams, or only those holding
 * its first space (a keyword of several chunks).
 */
export function trigramQuery(keyword: string, which: 'all' | 'across the first space' = 'all'): string {
  const chars = [...keyword];
  const space = chars.indexOf(' ');
  const [from, to] = which === 'all' ? [0, chars.length] : [space - TRIGRAM_MIN + 1, space + TRIGRAM_MIN];
  const trigrams = new Set<string>();
  for (let at = Math.max(0, from); at + TRIGRAM_MIN <= Math.min(to, chars.length); at++) {
    trigrams.add(chars.slice(at, at + TRIGRAM_MIN).join(''));
  }
  return [...trigrams].map(ftsString).join(' AND ');
}

/** The words of a keyword as the word index sees them ("node.js" → node, js); empty for "*" or '"'. */
export function wordTokens(keyword: string): string[] {
  const folded = foldCase(keyword);
  const tokens = isAscii(folded)
    ? ASCII_WORD_TOKENS
    : (wordTokensPattern ??= new RegExp(`[${WORD_CLASS}]+`, 'gu'));
  return folded.match(tokens) ?? [];
}

/**
 * Keywords as typed → the keywords searched: trimmed, white space collapsed, NFC, repeats dropped. Empty,
 * over-long, control-character or too many keywords are usage errors (exit 2).
 */
export function normaliseKeywords(raw: readonly string[]): string[] {
  const seen = new Set<string>();
  const keywords: string[] = [];
  for (const value of raw) {
    const keyword = value.normalize('NFC').replace(/\s+/gu, ' ').trim();
    if (!keyword)
      throw new UsageError(
        'A keyword is empty. Give each keyword as text, e.g. djs search python "machine learning".',
      );
    if (hasControlCharacter(keyword)) throw new UsageError('A keyword contains control characters.');
    if ([...keyword].length > MAX_KEYWORD_LENGTH) {
      throw new UsageError(`A keyword is longer than ${MAX_KEYWORD_LENGTH} characters.`);
    }
    const key = foldCase(keyword);
    if (seen.has(key)) continue;
    seen.add(key);
    keywords.push(keyword);
  }
  if (keywords.length === 0)
    throw new UsageError('Give at least one keyword, e.g. djs search python "machine learning".');
  if (keywords.length > MAX_KEYWORDS) throw new UsageError(`Give at most ${MAX_KEYWORDS} keywords.`);
  return keywords;
}

/** includeClosed, minSalary: posting-filters.ts (blocked companies' postings are always left out). */
export interface SearchQuery extends VisibilityOptions {
  /** Already normalised (normaliseKeywords). */
  keywords: string[];
  /** Case-insensitive substring of the posting's location. */
  location?: string;
  /** ISO date (YYYY-MM-DD): postings posted (or, when that is unknown, added) on or after it. */
  since?: string;
  status?: JobStatus;
  /** Only postings not yet shown by `djs review` (seen_at unset). */
  unseen?: boolean;
  /** Only postings stored after this one (job_postings.id): what one update-db run added. */
  afterPostingId?: number;
  limit: number;
}

export interface SearchHit {
  /** job_postings.id (internal). */
  postingId: number;
  /** The job id people use with `djs jobs` (for LinkedIn, the number in the link). */
  jobId: string;
  score: number;
  matchedKeywords: string[];
  /** FTS5 bm25() of the posting for the keywords' whole words: lower is more relevant, 0 when none. */
  relevance: number;
  title: string | null;
  company: string | null;
  location: string | null;
  postedAt: string | null;
  addedAt: string;
  status: JobStatus;
  link: string;
  /** The listing it was first stored from: linkedin, greenhouse, … */
  source: string;
  /** Every URL where the job is listed (posting_links), oldest first; at least its own link. */
  links: string[];
  closedAt: string | null;
  pay: Pay;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Postings with a score above 0 after the filters (the hits are the first `limit` of them). */
  matched: number;
}

export interface HistoryEntry {
  id: number;
  keywords: string[];
  location: string | null;
  searchedAt: string;
}

/** The job_postings columns a SearchHit is made of (hitFromRow). */
export const HIT_COLUMNS =
  'id, job_id, link, job_title, job_company, job_location, posted_date, added_at, status, source, closed_at, ' +
  'salary_min, salary_max, salary_currency, salary_period';

export interface PageRow {
  id: number;
  job_id: string;
  link: string;
  job_title: string | null;
  job_company: string | null;
  job_location: string | null;
  posted_date: string | null;
  added_at: string;
  status: JobStatus;
  source: string;
  closed_at: string | null;
  salary_min: number | null;
  salary_max: number | null;
  salary_currency: string | null;
  salary_period: SalaryPeriod | null;
}

export function hitFromRow(
  row: PageRow,
  score: number,
  matchedKeywords: string[],
  relevance: number,
): SearchHit {
  return {
    postingId: row.id,
    jobId: row.job_id,
    score,
    matchedKeywords,
    relevance,
    title: row.job_title,
    company: row.job_company,
    location: row.job_location,
    postedAt: row.posted_date,
    addedAt: row.added_at,
    status: row.status,
    link: row.link,
    source: row.source,
    links: [row.link],
    closedAt: row.closed_at,
    pay: {
      min: row.salary_min,
      max: row.salary_max,
      currency: row.salary_currency,
      period: row.salary_period,
    },
  };
}

/** Fills each hit's `links` with every listing of its job (posting_links); a hit without any keeps its link. */
export function withLinks(db: Db, userId: number, hits: SearchHit[]): SearchHit[] {
  const links = linksOf(
    db,
    userId,
    hits.map((hit) => hit.postingId),
  );
  for (const hit of hits) {
    const urls = links.get(hit.postingId)?.map((link) => link.url);
    if (urls && urls.length > 0) hit.links = urls;
  }
  return hits;
}

/** Reads the comma-separated integers of group_concat(id) without allocating a string per number. */
export function parseIdList(list: string | null, into: number[] = []): number[] {
  if (!list) return into;
  let value = 0;
  for (let i = 0; i < list.length; i++) {
    const code = list.charCodeAt(i);
    if (code === 44) {
      into.push(value);
      value = 0;
    } else {
      value = value * 10 + (code - 48);
    }
  }
  into.push(value);
  return into;
}

/**
 * Up to this many chunks ending with a keyword's first chunk ("**nice" for "nice to have"), each is looked up
 * as the keyword's phrase with it first; beyond (company names ending with "data" for "data engineer"), the
 * postings holding one of them and all the keyword's trigrams but not its phrase are compared with the text.
 */
const MAX_LONGER_FIRST_CHUNKS = 16;

/**
 * Up to this many such chunks, the postings holding one of them are looked up (one token each) to leave
 * only those to compare with the text; beyond, every posting holding the trigrams but not the phrase.
 */
const MAX_LONGER_FIRST_CHUNKS_LOOKED_UP = 2048;

/** Up to this many chunks holding a one-chunk keyword, they are looked up whole (one token each). */
const MAX_EXACT_CHUNKS = 256;

/**
 * Beyond, up to this many prefix queries answer a one-chunk keyword exactly; beyond (a common piece of many
 * words), the trigram superset is narrowed instead.
 */
const MAX_CHUNK_STARTS = 64;

/** Up to this many exact phrases answer a keyword of several chunks (phrasesFrom); beyond, prefix phrases. */
const MAX_EXACT_PHRASES = 256;

/** Up to this many tied rows, bm25() is read for each of them; beyond, only for the most relevant. */
const RELEVANCE_LIST_LIMIT = 500;

/** Up to this many rows tied at the page's end, their dates are read row by row. */
const KEY_LOOKUP_LIMIT = 400;

/** A row of the page before it is read: what orders it. */
interface Ranked {
  id: number;
  score: number;
  relevance: number;
}

/**
 * Search for one user: every statement filters by the user's id, intersects with their ids or keeps to their
 * stretch of the indexes (when nobody else has postings, every posting is theirs).
 */
export class SearchService {
  /** The user's stretch of the shared indexes' and the vocabulary's rowids (db/search-vocabulary.ts). */
  private readonly stretch: [bigint, bigint];
  /**
   * The index queries' condition and parameters keeping them to the stretch, set per search: none while
   * nobody else has postings (seeking costs FTS5 a little, and there is nothing to skip).
   */
  private own: { sql: string; params: bigint[] } = { sql: '', params: [] };
  /** The user's own word index (db/word-index.ts), numbered by posting id. */
  private readonly words: string;

  constructor(
    private readonly db: Db,
    private readonly userId: number,
  ) {
    this.stretch = userStretch(userId);
    this.words = wordIndexName(userId);
  }

  search(query: SearchQuery): SearchResult {
    // One read transaction: every query below sees the same snapshot, even while update-db writes.
    return this.db.transaction(() => this.run(query))();
  }

  private run(query: SearchQuery): SearchResult {
    const { keywords } = query;
    if (keywords.length === 0 || keywords.length > MAX_KEYWORDS) {
      throw new UsageError(`Give 1 to ${MAX_KEYWORDS} keywords.`);
    }
    const maxId = (this.db.prepare('SELECT max(id) FROM job_postings').pluck().get() as number | null) ?? 0;
    // Without a word index the user has never had a posting (migration 011 refuses one).
    if (maxId === 0 || !hasWordIndex(this.db, this.userId)) return { hits: [], matched: 0 };
    this.own = this.othersExist()
      ? { sql: 'AND rowid BETWEEN ? AND ?', params: this.stretch }
      : { sql: '', params: [] };
    // Blocked companies, closed jobs and --min-salary narrow the set further (posting-filters.ts).
    const allowed = visiblePostings(this.db, this.userId, query, this.allowedPostings(query, maxId), maxId);

    // Scores and keyword masks, counted from each keyword's matching ids.
    const scores = new Uint8Array(maxId + 1);
    const masks = new Uint32Array(maxId + 1);
    const touched: number[] = [];
    keywords.forEach((keyword, index) => {
      const bit = 2 ** index;
      for (const id of this.matchingIds(keyword, allowed)) {
        if (id > maxId) continue;
        if (scores[id] === 0) touched.push(id);
        scores[id]! += 1;
        masks[id]! |= bit;
      }
    });
    if (touched.length === 0) return { hits: [], matched: 0 };

    // The page's last row scores `threshold`: only postings scoring at least that can be on the page.
    const histogram = new Array<number>(keywords.length + 1).fill(0);
    for (const id of touched) histogram[scores[id]!]! += 1;
    let threshold = keywords.length;
    let scoringAtLeast = histogram[threshold]!;
    while (threshold > 1 && scoringAtLeast < query.limit) scoringAtLeast += histogram[--threshold]!;
    const candidates = touched.filter((id) => scores[id]! >= threshold);
    const ranked = this.rank(keywords, candidates, scores, threshold, query.limit);

    const page = this.db.prepare(`SELECT ${HIT_COLUMNS} FROM job_postings WHERE id = ? AND user_id = ?`);
    const hits = ranked.flatMap((entry): SearchHit[] => {
      const row = page.get(entry.id, this.userId) as PageRow | undefined;
      if (!row) return [];
      const matched = keywords.filter((_, index) => (masks[entry.id]! & (2 ** index)) !== 0);
      return [hitFromRow(row, entry.score, matched, entry.relevance)];
    });
    return { hits: withLinks(this.db, this.userId, hits), matched: touched.length };
  }

  /**
   * The first `limit` candidates by score, relevance, posted date, added_at and id. Fewer than `limit` score
   * above `threshold`; among the many that may score exactly `threshold`, relevance picks most of the rest,
   * and the dates are read only for the rows tied at the page's end (when no keyword has a word, every row).
   */
  private rank(
    keywords: string[],
    candidates: number[],
    scores: Uint8Array,
    threshold: number,
    limit: number,
  ): Ranked[] {
    const phrases = keywords.filter((keyword) => wordTokens(keyword).length > 0).map(ftsString);
    const query = phrases.join(' OR ');
    const onPage = candidates.filter((id) => scores[id]! > threshold);
    const tied = candidates.filter((id) => scores[id]! === threshold);
    const room = limit - onPage.length;
    const relevance = new Map<number, number>();
    // Ids whose relevance has been read: those the words' query did not return hold none of them (0).
    const known = new Set<number>();
    const readRelevance = (ids: number[]): Array<[number, number]> => {
      const found = this.relevanceOf(query, ids);
      for (const id of ids) known.add(id);
      for (const [id, value] of found) relevance.set(id, value);
      return found;
    };
    if (tied.length <= room) {
      onPage.push(...tied);
    } else {
      // The tied rows that hold a keyword's words, most relevant first; the others score 0 and come after.
      // A short list is read in one query together with the rows above the threshold.
      let matched: Array<[number, number]> = [];
      if (phrases.length > 0 && tied.length <= RELEVANCE_LIST_LIMIT) {
        matched = readRelevance([...onPage, ...tied]).filter(([id]) => scores[id] === threshold);
      } else if (phrases.length > 0) {
        matched = this.mostRelevant(query, tied, room);
        for (const [id, value] of matched) relevance.set(id, value);
      }
      const cut = matched[room - 1]?.[1];
      const boundary: number[] = [];
      for (const [id, value] of matched) {
        if (cut === undefined || value < cut) onPage.push(id);
        else if (value === cut) boundary.push(id);
      }
      if (cut === undefined) boundary.push(...tied.filter((id) => !relevance.has(id)));
      onPage.push(...this.latest(boundary, limit - onPage.length));
    }
    const missing = onPage.filter((id) => !relevance.has(id) && !known.has(id));
    if (phrases.length > 0 && missing.length > 0) readRelevance(missing);
    const keys = this.sortKeys(onPage);
    return onPage
      .map((id) => ({ id, score: scores[id]!, relevance: relevance.get(id) ?? 0, ...keys.get(id)! }))
      .sort(
        (a, b) =>
          b.score - a.score ||
          a.relevance - b.relevance ||
          compareDesc(a.postedDate, b.postedDate) ||
          compareDesc(a.addedAt, b.addedAt) ||
          b.id - a.id,
      );
  }

  /**
   * The `count` postings of `ids` posted (then added, then stored) last. Many ids: the user's postings are
   * walked newest first through idx_job_postings_user_posted until `count` of them are found and the next
   * one is older, so only the rows sharing the last posted date are compared further.
   */
  private latest(ids: number[], count: number): number[] {
    if (ids.length <= KEY_LOOKUP_LIMIT) return this.byDate(ids).slice(0, count);
    const wanted = new Uint8Array(ids.reduce((max, id) => Math.max(max, id), 0) + 1);
    for (const id of ids) wanted[id] = 1;
    const found: number[] = [];
    let lastDate: string | null = null;
    const newestFirst = this.db
      .prepare(
        `SELECT id, posted_date FROM job_postings INDEXED BY idx_job_postings_user_posted
         WHERE user_id = ? ORDER BY posted_date DESC`,
      )
      .raw()
      .iterate(this.userId) as IterableIterator<[number, string | null]>;
    for (const [id, postedDate] of newestFirst) {
      if (id >= wanted.length || wanted[id] === 0) continue;
      if (found.length >= count && postedDate !== lastDate) break;
      found.push(id);
      lastDate = postedDate;
    }
    return this.byDate(found).slice(0, count);
  }

  /** The ids ordered by posted date, added_at and id, newest first. */
  private byDate(ids: number[]): number[] {
    const keys = this.sortKeys(ids);
    return ids
      .map((id) => ({ id, ...keys.get(id)! }))
      .sort(
        (a, b) => compareDesc(a.postedDate, b.postedDate) || compareDesc(a.addedAt, b.addedAt) || b.id - a.id,
      )
      .map((entry) => entry.id);
  }

  /** Whether anyone else's postings share the database. */
  private othersExist(): boolean {
    return (
      this.db
        .prepare(
          `SELECT EXISTS (SELECT 1 FROM job_postings WHERE user_id < ?)
               OR EXISTS (SELECT 1 FROM job_postings WHERE user_id > ?)`,
        )
        .pluck()
        .get(this.userId, this.userId) === 1
    );
  }

  /**
   * A flag per posting id: 1 for this user's postings that pass the filters; null when no filter is set (the
   * index queries read the user's postings only). Read from idx_job_postings_search alone, never from the
   * wide posting rows.
   */
  private allowedPostings(query: SearchQuery, maxId: number): Uint8Array | null {
    const conditions: string[] = [];
    const params: unknown[] = [this.userId];
    if (query.status !== undefined) {
      conditions.push('status = ?');
      params.push(query.status);
    }
    if (query.since !== undefined) {
      conditions.push('coalesce(posted_date, substr(added_at, 1, 10)) >= ?');
      params.push(query.since);
    }
    if (query.location !== undefined) {
      conditions.push('instr(djs_fold(job_location), ?) > 0');
      params.push(foldCase(query.location));
    }
    if (query.afterPostingId !== undefined) {
      conditions.push('id > ?');
      params.push(query.afterPostingId);
    }
    if (query.unseen) {
      // seen_at is not in the search index; the partial index of unseen postings answers it.
      conditions.push(
        'id IN (SELECT id FROM job_postings INDEXED BY idx_job_postings_unseen WHERE user_id = ? AND seen_at IS NULL)',
      );
      params.push(this.userId);
    }
    if (conditions.length === 0) return null;
    const allowed = new Uint8Array(maxId + 1);
    for (const id of this.postingIds(conditions, params)) if (id <= maxId) allowed[id] = 1;
    return allowed;
  }

  /** The ids of the allowed postings in which the keyword occurs. */
  private matchingIds(keyword: string, allowed: Uint8Array | null): number[] {
    const keep = (ids: number[]): number[] =>
      allowed === null ? ids : ids.filter((id) => id < allowed.length && allowed[id] === 1);
    const trigrams = (query: string): number[] => keep(this.idsMatching('job_postings_trigram', query));
    const phrases = (query: string): number[] => keep(this.idsMatching('job_postings_phrases', query));
    switch (keywordKind(keyword)) {
      case 'word':
        return keep(this.idsMatching(this.words, ftsString(keyword)));
      case 'punctuation': {
        const piece = punctuationPiece(keyword);
        if (piece !== null) return phrases(ftsString(piece));
        // Folded to more characters (the dotted capital I) or to no piece at all: compared with the text.
        const needle = foldCase(keyword);
        const candidates =
          [...needle].length >= TRIGRAM_MIN ? trigrams(trigramQuery(needle)) : keep(this.postingIds());
        return candidates.length === 0 ? candidates : this.narrow(keyword, candidates, []);
      }
      case 'substring':
        return this.substringIds(keyword, trigrams, phrases);
    }
  }

  /**
   * The postings holding a keyword of 3 or more characters, given the queries of the trigram and phrase
   * indexes for the user (ascending ids).
   */
  private substringIds(
    keyword: string,
    trigrams: (query: string) => number[],
    phrases: (query: string) => number[],
  ): number[] {
    if ([...keyword].length === TRIGRAM_MIN) return trigrams(trigramQuery(keyword));
    const [first, ...others] = chunks(keyword);
    if (others.length === 0) {
      const containing = this.chunksContaining(first!);
      // Each chunk holding it, as a token: FTS5 reads those lists as it goes, where a prefix query first
      // merges the lists of every chunk starting with it.
      const exact = [...new Set([foldCase(keyword), ...containing])];
      if (exact.length <= MAX_EXACT_CHUNKS) return phrases(exact.map(ftsString).join(' OR '));
      const starts = oneChunkStarts(keyword, containing);
      if (starts.length <= MAX_CHUNK_STARTS) return phrases(startsQuery(starts));
      // A common piece of many words ("tion"): the postings with a chunk starting with it are certain.
      const candidates = trigrams(trigramQuery(keyword));
      return candidates.length === 0
        ? candidates
        : this.narrow(keyword, candidates, phrases(startsQuery([keyword])));
    }
    const shortened = withoutShortLastChunk(keyword);
    // Certain: the phrase, or, when its last chunk is too short for a prefix, its commonest exact forms.
    const sure = () =>
      phrases(shortened === null ? this.phrasesFrom([first!], keyword) : shortLastChunkQuery(keyword));
    if ([...first!].length < VOCABULARY_MIN) {
      const candidates = trigrams(trigramQuery(keyword));
      return candidates.length === 0 ? candidates : this.narrow(keyword, candidates, sure());
    }
    if (shortened !== null) {
      // The shortened keyword starts with the same first chunk, so it is answered without this branch.
      const holding = intersect(
        this.substringIds(shortened, trigrams, phrases),
        trigrams(trigramQuery(keyword)),
      );
      return holding.length === 0 ? holding : this.narrow(keyword, holding, sure());
    }
    const folded = foldCase(first!);
    const longer = this.chunksContaining(first!).filter(
      (chunk) => chunk !== folded && chunk.endsWith(folded),
    );
    if (longer.length === 0) return sure();
    if (longer.length <= MAX_LONGER_FIRST_CHUNKS)
      return phrases(this.phrasesFrom([first!, ...longer], keyword));
    const certain = sure();
    if (longer.length > MAX_LONGER_FIRST_CHUNKS_LOOKED_UP) {
      const holding = trigrams(trigramQuery(keyword));
      return holding.length === 0 ? holding : this.narrow(keyword, holding, certain);
    }
    // Where the phrase is not, the keyword's first chunk can only end one of the longer chunks, and the
    // keyword's next characters must follow it: the few trigrams across the first space say whether they may
    // (of "data engineer": "ta ", "a e", " en"), where all of its trigrams cost FTS5 five times as many lists
    // to read for nearly the same rows.
    const possible = union(certain, phrases(longer.map(ftsString).join(' OR ')));
    const candidates = intersect(trigrams(trigramQuery(keyword, 'across the first space')), possible);
    return candidates.length === 0 ? candidates : this.narrow(keyword, candidates, certain);
  }

  /**
   * The query of the phrases `f c2 … cn` for each first chunk f of `firsts`, the keyword's last chunk cn
   * (3 or more characters) whole or continued (a chunk "engineering," holds "engineering"): exact phrases,
   * one per chunk of the vocabulary starting with cn; beyond MAX_EXACT_PHRASES, prefix phrases, for which
   * FTS5 merges the lists of every chunk starting with cn.
   */
  private phrasesFrom(firsts: string[], keyword: string): string {
    const parts = chunks(keyword);
    const last = parts.at(-1)!;
    const middle = parts.slice(1, -1);
    const folded = foldCase(last);
    const continued = this.chunksContaining(last).filter(
      (chunk) => chunk !== folded && chunk.startsWith(folded),
    );
    const phrase = (first: string, end: string): string => [first, ...middle, end].join(' ');
    if (firsts.length * (1 + continued.length) > MAX_EXACT_PHRASES) {
      return firsts.map((first) => phraseQuery(phrase(first, last))).join(' OR ');
    }
    return firsts
      .flatMap((first) => [last, ...continued].map((end) => ftsString(phrase(first, end))))
      .join(' OR ');
  }

  /**
   * The chunks of the user's vocabulary that contain the chunk (folded, at least VOCABULARY_MIN characters),
   * folded.
   */
  private chunksContaining(chunk: string): string[] {
    const found = this.db
      .prepare(
        `SELECT word FROM search_vocabulary WHERE id IN (SELECT rowid FROM search_vocabulary_trigram
         WHERE search_vocabulary_trigram MATCH ? AND rowid BETWEEN ? AND ?)`,
      )
      .pluck()
      .all(ftsString(chunk), ...this.stretch) as string[];
    return found.map(foldCase);
  }

  /** The ids of the user's postings matching an FTS5 query, from group_concat(rowid) (ascending). */
  private idsMatching(table: string, query: string): number[] {
    // The shared indexes: posting ids (rowid less the stretch's start) keep the list as short as the ids
    // themselves. The user's word index is numbered by posting id.
    const shared = table !== this.words;
    const list = this.db
      .prepare(
        `SELECT group_concat(rowid - ?) FROM ${table} WHERE ${table} MATCH ? ${shared ? this.own.sql : ''}`,
      )
      .pluck()
      .get(shared ? this.stretch[0] : 0n, query, ...(shared ? this.own.params : [])) as string | null;
    return parseIdList(list);
  }

  /**
   * The user's postings meeting every condition (SQL over job_postings; `params`: the user id, then the
   * conditions' parameters), ascending, read from idx_job_postings_search alone.
   */
  private postingIds(conditions: string[] = [], params: unknown[] = [this.userId]): number[] {
    return parseIdList(
      this.db
        .prepare(
          `SELECT group_concat(id) FROM job_postings INDEXED BY idx_job_postings_search
           WHERE ${['user_id = ?', ...conditions].join(' AND ')}`,
        )
        .pluck()
        .get(...params) as string | null,
    );
  }

  /**
   * The candidates (ascending ids of postings holding every trigram of the keyword) in which the keyword
   * really occurs. `holding`: those the phrase index names as certain; only the others are read and
   * compared, rarely more than a few.
   */
  private narrow(keyword: string, candidates: number[], holding: number[]): number[] {
    const certain = new Uint8Array(candidates.at(-1)! + 1);
    for (const id of holding) if (id < certain.length) certain[id] = 1;
    const unsure = candidates.filter((id) => certain[id] === 0);
    if (unsure.length === 0) return candidates;
    const needle = foldCase(keyword);
    // LIKE is SQLite's own ASCII case-insensitive comparison, and fast. For an ASCII keyword it answers
    // the same as the folded comparison, except in text holding one of the two characters whose lower
    // case is ASCII (İ, the Kelvin sign): only those rows are folded in JavaScript, and only for a keyword
    // holding what they turn into (i, k); any other keyword skips looking for them.
    const ascii = isAscii(needle);
    const like = (column: string): string => `${column} LIKE :pattern ESCAPE '\\'`;
    const folded = (column: string): string => `instr(djs_fold(${column}), :needle) > 0`;
    const contains = (column: string): string =>
      !ascii
        ? folded(column)
        : /[ik]/.test(needle)
          ? `(${like(column)} OR ((instr(${column}, '\u0130') > 0 OR instr(${column}, '\u212a') > 0) AND ${folded(column)}))`
          : like(column);
    const confirmed = parseIdList(
      this.db
        .prepare(
          `SELECT group_concat(id) FROM job_postings WHERE id IN (SELECT value FROM json_each(:ids))
           AND (${contains('job_title')} OR ${contains('job_description')})`,
        )
        .pluck()
        .get({
          ids: JSON.stringify(unsure),
          needle,
          pattern: `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
        }) as string | null,
    );
    for (const id of confirmed) certain[id] = 1;
    return candidates.filter((id) => certain[id] === 1);
  }

  /**
   * bm25() (FTS5's formula, with the statistics and IDF of the user's postings) of the ids that hold the
   * words of `query`, most relevant first. `+rowid` keeps SQLite from handing the IN list to FTS5 as rowid
   * lookups (one full query per id): FTS5 runs the OR query once and bm25() is computed for the listed ids
   * only.
   */
  private relevanceOf(query: string, ids: number[]): Array<[number, number]> {
    return this.db
      .prepare(
        `SELECT rowid, ${this.bm25()} AS value FROM ${this.words} WHERE ${this.words} MATCH ?
           AND +rowid IN (SELECT value FROM json_each(?)) ORDER BY value`,
      )
      .raw()
      .all(query, JSON.stringify(ids)) as Array<[number, number]>;
  }

  /** FTS5's bm25() of the user's word index, a title word weighing TITLE_WEIGHT description words. */
  private bm25(): string {
    return `bm25(${this.words}, ${TITLE_WEIGHT}, 1)`;
  }

  /**
   * The most relevant of many tied ids, most relevant first: at least `count` of them and every one as
   * relevant as the `count`th, or all of them that hold the words. SQLite keeps only the best rows of the
   * match (ORDER BY … LIMIT), so only those reach JavaScript; the limit grows when rows that are not tied
   * (lower scores, filtered out) take the first places.
   */
  private mostRelevant(query: string, ids: number[], count: number): Array<[number, number]> {
    const tied = new Uint8Array(ids.reduce((max, id) => Math.max(max, id), 0) + 1);
    for (const id of ids) tied[id] = 1;
    const ranked = this.db
      .prepare(
        `SELECT rowid, ${this.bm25()} AS value FROM ${this.words} WHERE ${this.words} MATCH ?
         ORDER BY value LIMIT ?`,
      )
      .raw();
    for (let rows = Math.max(256, 4 * count); ; rows *= 4) {
      const best = ranked.all(query, rows) as Array<[number, number]>;
      const found = best.filter(([id]) => id < tied.length && tied[id] === 1);
      const last = best.at(-1);
      if (best.length < rows || (found.length >= count && last![1] > found[count - 1]![1])) return found;
    }
  }

  /** Posted date and added_at of each id (a few hundred at most), the last sort keys. */
  private sortKeys(ids: number[]): Map<number, { postedDate: string | null; addedAt: string }> {
    const keys = new Map<number, { postedDate: string | null; addedAt: string }>();
    const lookup = this.db.prepare('SELECT posted_date, added_at FROM job_postings WHERE id = ?').raw();
    for (const id of ids) {
      const [postedDate, addedAt] = lookup.get(id) as [string | null, string];
      keys.set(id, { postedDate, addedAt });
    }
    return keys;
  }

  /** Adds the search to the user's history (the seed's user_search_history). */
  record(keywords: string[], location: string | undefined, searchedAt: string): void {
    this.db
      .prepare(
        'INSERT INTO user_search_history (user_id, keywords, location, search_date) VALUES (?, ?, ?, ?)',
      )
      .run(this.userId, JSON.stringify(keywords), location ?? null, searchedAt);
  }

  /** The user's past searches, newest first. */
  history(limit: number): HistoryEntry[] {
    const rows = this.db
      .prepare(
        `SELECT id, keywords, location, search_date FROM user_search_history WHERE user_id = ?
         ORDER BY search_date DESC, id DESC LIMIT ?`,
      )
      .all(this.userId, limit) as Array<{
      id: number;
      keywords: string;
      location: string | null;
      search_date: string;
    }>;
    return rows.map((row) => ({
      id: row.id,
      keywords: parseKeywordList(row.keywords),
      location: row.location,
      searchedAt: row.search_date,
    }));
  }
}

function parseKeywordList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.map(String) : [String(value)];
  } catch {
    return [json];
  }
}

/** The ids in both ascending lists, ascending. */
function intersect(a: number[], b: number[]): number[] {
  const both: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      both.push(a[i]!);
      i++;
      j++;
    }
  }
  return both;
}

/** The ids in either ascending list, ascending. */
function union(a: number[], b: number[]): number[] {
  const either: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j === b.length || (i < a.length && a[i]! < b[j]!)) either.push(a[i++]!);
    else if (i === a.length || b[j]! < a[i]!) either.push(b[j++]!);
    else {
      either.push(a[i++]!);
      j++;
    }
  }
  return either;
}

/** Descending order with nulls last. */
function compareDesc(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? 1 : -1;
}
