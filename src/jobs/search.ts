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
 *   * any other keyword of 1–2 characters (".", "c/", "*") occurs as a substring; no index holds those, so
 *     they cost a scan of the user's postings.
 * Keywords are trimmed, inner white space is collapsed to one space, they are NFC-normalised, and repeats
 * (ignoring case) count once. Keywords are data, never query syntax: they reach SQLite as bound parameters
 * and FTS5 as quoted strings, so AND, OR, NEAR(, ", *, -x and '; DROP TABLE are searched as text.
 *
 * Ranking
 * -------
 * score (keywords that occur) desc, then relevance: FTS5's bm25() over the word index (whole-word
 * occurrences of the keywords, the title weighing 4× the description), then posted date desc, added_at
 * desc. bm25() is evaluated only for the postings that can make the page (those scoring at least what the
 * last row of the page scores), which is what keeps a search fast however common its keywords are. Its
 * IDF is FTS5's own, over every posting in the database; it only ever orders postings of equal score.
 *
 * How it is fast
 * --------------
 * Each keyword is one FTS5 query that returns its matching row ids as a single group_concat string; scores
 * and per-posting keyword masks are then counted in typed arrays. No per-row SQL work happens for postings
 * that cannot make the page, and the posting rows themselves (≈2 KB each) are read only for the page.
 */
import { UsageError } from '../core/errors.js';
import { foldCase } from '../core/fold-case.js';
import type { Db } from '../db/database.js';
import type { JobStatus, Pay, SalaryPeriod } from './model.js';
import { linksOf } from './posting-links.js';
import { hasControlCharacter } from '../core/sanitize.js';
import { visiblePostings, type VisibilityOptions } from './posting-filters.js';

export const MAX_KEYWORDS = 20;
export const MAX_KEYWORD_LENGTH = 200;
/** Keywords shorter than this (in characters) cannot use the trigram index. */
export const TRIGRAM_MIN = 3;
/** bm25() column weights: a keyword in the title counts this many times one in the description. */
export const TITLE_WEIGHT = 4;

/** The word index's token characters (its tokenizer: categories L* N* Co M*, tokenchars '+#'). */
const WORD_CLASS = '\\p{L}\\p{N}\\p{Co}\\p{M}+#';
const WORD_ONLY = new RegExp(`^[${WORD_CLASS}]+$`, 'u');
const WORD_TOKENS = new RegExp(`[${WORD_CLASS}]+`, 'gu');

export type KeywordKind = 'substring' | 'word' | 'scan';

/** An FTS5 string: the text between double quotes, with quotes doubled. Never parsed as query syntax. */
export function ftsString(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

export function keywordKind(keyword: string): KeywordKind {
  if ([...keyword].length >= TRIGRAM_MIN) return 'substring';
  return WORD_ONLY.test(keyword) ? 'word' : 'scan';
}

/** The words of a keyword as the word index sees them ("node.js" → node, js); empty for "*" or '"'. */
export function wordTokens(keyword: string): string[] {
  return foldCase(keyword).match(WORD_TOKENS) ?? [];
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

/** Above this many candidates, their sort keys are read by one scan of the search index, not row by row. */
const KEY_LOOKUP_LIMIT = 400;

/** Search for one user: every statement filters by the user's id (or intersects with their ids). */
export class SearchService {
  constructor(
    private readonly db: Db,
    private readonly userId: number,
  ) {}

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
    if (maxId === 0) return { hits: [], matched: 0 };
    const allowed = visiblePostings(this.db, this.userId, query, this.allowedPostings(query, maxId), maxId);

    // Scores and keyword masks, counted from each keyword's matching ids.
    const scores = new Uint8Array(maxId + 1);
    const masks = new Uint32Array(maxId + 1);
    const touched: number[] = [];
    keywords.forEach((keyword, index) => {
      const bit = 2 ** index;
      for (const id of this.matchingIds(keyword)) {
        if (id > maxId || (allowed !== null && allowed[id] === 0)) continue;
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

    const relevance = this.relevance(keywords, candidates);
    const keys = this.sortKeys(candidates);
    const ranked = candidates
      .map((id) => ({ id, score: scores[id]!, relevance: relevance.get(id) ?? 0, ...keys.get(id)! }))
      .sort(
        (a, b) =>
          b.score - a.score ||
          a.relevance - b.relevance ||
          compareDesc(a.postedDate, b.postedDate) ||
          compareDesc(a.addedAt, b.addedAt) ||
          b.id - a.id,
      )
      .slice(0, query.limit);

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
   * A flag per posting id: 1 for this user's postings that pass the filters. Null when every posting in
   * the database is this user's and no filter is set (nothing to exclude). Read from
   * idx_job_postings_search alone, never from the wide posting rows.
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
    if (conditions.length === 0) {
      const others = this.db
        .prepare(
          `SELECT EXISTS (SELECT 1 FROM job_postings WHERE user_id < ?)
               OR EXISTS (SELECT 1 FROM job_postings WHERE user_id > ?)`,
        )
        .pluck()
        .get(this.userId, this.userId) as number;
      if (others === 0) return null;
    }
    const list = this.db
      .prepare(
        `SELECT group_concat(id) FROM job_postings INDEXED BY idx_job_postings_search
         WHERE ${['user_id = ?', ...conditions].join(' AND ')}`,
      )
      .pluck()
      .get(...params) as string | null;
    const allowed = new Uint8Array(maxId + 1);
    for (const id of parseIdList(list)) if (id <= maxId) allowed[id] = 1;
    return allowed;
  }

  /** The ids of all postings (any user's; the caller intersects) in which the keyword occurs. */
  private matchingIds(keyword: string): number[] {
    switch (keywordKind(keyword)) {
      case 'substring':
        return parseIdList(
          this.db
            .prepare(
              'SELECT group_concat(rowid) FROM job_postings_trigram WHERE job_postings_trigram MATCH ?',
            )
            .pluck()
            .get(ftsString(keyword)) as string | null,
        );
      case 'word':
        return parseIdList(
          this.db
            .prepare('SELECT group_concat(rowid) FROM job_postings_words WHERE job_postings_words MATCH ?')
            .pluck()
            .get(ftsString(keyword)) as string | null,
        );
      case 'scan': {
        const cased = foldCase(keyword) !== keyword.toUpperCase();
        const column = (name: string): string => (cased ? `djs_fold(${name})` : name);
        const needle = cased ? foldCase(keyword) : keyword;
        return parseIdList(
          this.db
            .prepare(
              `SELECT group_concat(id) FROM job_postings
               WHERE user_id = ? AND (instr(${column('job_title')}, ?) > 0 OR instr(${column('job_description')}, ?) > 0)`,
            )
            .pluck()
            .get(this.userId, needle, needle) as string | null,
        );
      }
    }
  }

  /** bm25() of each candidate for the keywords' words (FTS5's formula, statistics and IDF). */
  private relevance(keywords: string[], candidates: number[]): Map<number, number> {
    const phrases = keywords.filter((keyword) => wordTokens(keyword).length > 0).map(ftsString);
    const result = new Map<number, number>();
    if (phrases.length === 0 || candidates.length === 0) return result;
    // `+rowid` keeps SQLite from handing the IN list to FTS5 as rowid lookups (one full query per id):
    // FTS5 runs the OR query once and bm25() is computed for the candidates only.
    const rows = this.db
      .prepare(
        `SELECT rowid, bm25(job_postings_words, ${TITLE_WEIGHT}, 1) FROM job_postings_words
         WHERE job_postings_words MATCH ? AND +rowid IN (SELECT value FROM json_each(?))`,
      )
      .raw()
      .all(phrases.join(' OR '), JSON.stringify(candidates)) as Array<[number, number]>;
    for (const [id, score] of rows) result.set(id, score);
    return result;
  }

  /** Posted date and added_at of each candidate, the last sort keys. */
  private sortKeys(candidates: number[]): Map<number, { postedDate: string | null; addedAt: string }> {
    const keys = new Map<number, { postedDate: string | null; addedAt: string }>();
    const collect = (rows: Array<[number, string | null, string]>): void => {
      for (const [id, postedDate, addedAt] of rows) keys.set(id, { postedDate, addedAt });
    };
    if (candidates.length <= KEY_LOOKUP_LIMIT) {
      const lookup = this.db.prepare('SELECT id, posted_date, added_at FROM job_postings WHERE id = ?').raw();
      collect(candidates.map((id) => lookup.get(id) as [number, string | null, string]));
    } else {
      collect(
        this.db
          .prepare(
            `SELECT id, posted_date, added_at FROM job_postings INDEXED BY idx_job_postings_search
             WHERE user_id = ? AND +id IN (SELECT value FROM json_each(?))`,
          )
          .raw()
          .all(this.userId, JSON.stringify(candidates)) as Array<[number, string | null, string]>,
      );
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

/** Descending order with nulls last. */
function compareDesc(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? 1 : -1;
}
