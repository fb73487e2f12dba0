import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../src/fakes/linkedin-server.js';
import { loadMigrations, openDatabase, type Db } from '../../src/db/database.js';
import {
  ftsString,
  keywordKind,
  MAX_KEYWORDS,
  normaliseKeywords,
  SearchService,
  TITLE_WEIGHT,
  wordTokens,
  type SearchHit,
  type SearchQuery,
} from '../../src/jobs/search.js';
import { punctuationPiece, punctuationPieces } from '../../src/core/search-text.js';
import { USER_STRETCH } from '../../src/db/search-vocabulary.js';
import { foldCase } from '../../src/core/fold-case.js';
import { MERGE_ABOVE_SEGMENTS, mergeFragmentedIndexes } from '../../src/jobs/search-index.js';
import { addUser } from '../helpers/user-db.js';

// ---------------------------------------------------------------------------------------------------------
// Generated postings, full of what makes matching hard: case, accents, phrases, punctuation, short words,
// FTS5 and SQL syntax, and words that contain other words.

const FRAGMENTS = [
  'Python',
  'python3',
  'micropython',
  'JavaScript',
  'Java',
  'java',
  'Go',
  'golang',
  'good',
  'Google',
  'ago',
  'C',
  'C++',
  'c++',
  'C#',
  'c#/.NET',
  '.NET',
  'Node.js',
  'node js',
  'webnode.js',
  'node.jsx',
  'Data Engineer',
  'metadata engineering',
  'data  engineer',
  'prompt\u00a0engineering',
  'data\u3000engineer',
  'embedded C',
  'embedded systems',
  'Scala',
  'escalate',
  'NodeJS',
  'AI',
  'ai-driven',
  'maintain',
  'R',
  'R&D',
  'Rust',
  'trust',
  'prompt engineering',
  'Prompt Engineering',
  'prompt  engineering',
  'prompt-engineering',
  'machine learning',
  'Kraków',
  'KRAKÓW',
  'Krakow',
  'Zürich',
  'ZÜRICH',
  'zurich',
  'café',
  'CAFÉ',
  'cafe',
  'Straße',
  'Αθήνα',
  'ΑΘΗΝΑ',
  'Москва',
  'МОСКВА',
  'AND',
  'and',
  'OR',
  'NEAR(',
  'NEAR(a b)',
  '"quoted"',
  '*star*',
  '-remote',
  'remote',
  'Remote',
  "'; DROP TABLE job_postings; --",
  '100%',
  'snake_case',
  'x',
  'team',
  'experience',
  'the',
  'senior',
  'Senior',
  'data-driven',
  'ML/AI',
  'Go/Rust',
  '(Go)',
  'GO!',
  'go-to',
  'C/C++',
  'F#',
  'c',
  'e.g.',
  '…',
  'é',
  'É',
];

interface Posting {
  id: number;
  userId: number;
  title: string | null;
  description: string | null;
  location: string | null;
  postedDate: string | null;
  addedAt: string;
  status: string;
}

function generate(count: number, users: number[], seed = 7): Omit<Posting, 'id'>[] {
  const r = makeRng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const phrase = (words: number): string =>
    Array.from({ length: words }, () => {
      const fragment = pick(FRAGMENTS);
      const roll = r();
      return roll < 0.1 ? fragment.toUpperCase() : roll < 0.2 ? fragment.toLowerCase() : fragment;
    }).join(pick([' ', ' ', ' ', ', ', '. ', '\n', ' - ', '/']));
  const locations = [
    'Kraków, Poland',
    'ZÜRICH',
    'Zürich, Switzerland',
    'Berlin',
    'Remote',
    'São Paulo',
    null,
  ];
  const statuses = ['new', 'new', 'new', 'saved', 'applied', 'rejected'];
  return Array.from({ length: count }, () => ({
    userId: pick(users),
    title: r() < 0.05 ? null : phrase(1 + Math.floor(r() * 4)),
    description: r() < 0.05 ? null : `**About**\n\n${phrase(5 + Math.floor(r() * 40))}`,
    location: pick(locations),
    postedDate: r() < 0.2 ? null : `2025-0${1 + Math.floor(r() * 3)}-${String(10 + Math.floor(r() * 18))}`,
    addedAt: `2025-04-${String(10 + Math.floor(r() * 18))}T0${Math.floor(r() * 10)}:00:00.000Z`,
    status: pick(statuses),
  }));
}

// ---------------------------------------------------------------------------------------------------------
// The oracle: the documented semantics, computed by brute force over every posting.

const WORD_CHAR = /[\p{L}\p{N}\p{Co}\p{M}+#]/u;
const fold = (text: string): string => text.toLowerCase();

function oracleKeywords(raw: string[]): string[] {
  const out: string[] = [];
  for (const value of raw) {
    const keyword = value.normalize('NFC').replace(/\s+/gu, ' ').trim();
    if (!out.some((k) => fold(k) === fold(keyword))) out.push(keyword);
  }
  return out;
}

function occursIn(keyword: string, text: string | null): boolean {
  if (text === null) return false;
  const needle = fold(keyword);
  const haystack = fold(text);
  const chars = [...keyword];
  if (chars.length >= 3 || !chars.every((c) => WORD_CHAR.test(c))) return haystack.includes(needle);
  // 1–2 characters of word characters: a whole word.
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const before = haystack.slice(0, at);
    const after = haystack.slice(at + needle.length);
    const prev = [...before].at(-1);
    const next = [...after][0];
    if ((prev === undefined || !WORD_CHAR.test(prev)) && (next === undefined || !WORD_CHAR.test(next)))
      return true;
  }
  return false;
}

const tokens = (text: string | null): string[] =>
  text === null ? [] : (fold(text).match(/[\p{L}\p{N}\p{Co}\p{M}+#]+/gu) ?? []);

function phraseCount(phrase: string[], words: string[]): number {
  let count = 0;
  for (let i = 0; i + phrase.length <= words.length; i++)
    if (phrase.every((t, k) => words[i + k] === t)) count++;
  return count;
}

/** FTS5's bm25() (fts5_aux.c), recomputed: k1 = 1.2, b = 0.75, IDF over `all`, title weight 4. */
function oracleRelevance(all: Posting[], keywords: string[]): Map<number, number> {
  const phrases = keywords.map((k) => tokens(k)).filter((p) => p.length > 0);
  const docs = all.map((p) => ({ id: p.id, title: tokens(p.title), description: tokens(p.description) }));
  const nRow = docs.length;
  const avgdl = docs.reduce((sum, d) => sum + d.title.length + d.description.length, 0) / nRow;
  const idf = phrases.map((phrase) => {
    const hits = docs.filter(
      (d) => phraseCount(phrase, d.title) + phraseCount(phrase, d.description) > 0,
    ).length;
    const value = Math.log((nRow - hits + 0.5) / (hits + 0.5));
    return value <= 0 ? 1e-6 : value;
  });
  const result = new Map<number, number>();
  for (const doc of docs) {
    const D = doc.title.length + doc.description.length;
    let score = 0;
    phrases.forEach((phrase, i) => {
      const f = TITLE_WEIGHT * phraseCount(phrase, doc.title) + phraseCount(phrase, doc.description);
      score += idf[i]! * ((f * (1.2 + 1.0)) / (f + 1.2 * (1 - 0.75 + (0.75 * D) / avgdl)));
    });
    result.set(doc.id, -1.0 * score);
  }
  return result;
}

interface Expected {
  id: number;
  score: number;
  matched: string[];
  relevance: number;
  postedDate: string | null;
  addedAt: string;
}

function oracleSearch(
  all: Posting[],
  userId: number,
  raw: string[],
  filters: Partial<SearchQuery> = {},
): Expected[] {
  const keywords = oracleKeywords(raw);
  const mine = all.filter((p) => p.userId === userId);
  // Each user's bm25() statistics are their own postings' (db/word-index.ts): nobody else's weigh in.
  const relevance = oracleRelevance(mine, keywords);
  return mine
    .filter((p) => filters.status === undefined || p.status === filters.status)
    .filter(
      (p) =>
        filters.location === undefined ||
        (p.location !== null && fold(p.location).includes(fold(filters.location))),
    )
    .filter((p) => filters.since === undefined || (p.postedDate ?? p.addedAt.slice(0, 10)) >= filters.since)
    .map((p) => {
      const matched = keywords.filter((k) => occursIn(k, p.title) || occursIn(k, p.description));
      return {
        id: p.id,
        score: matched.length,
        matched,
        relevance: relevance.get(p.id)!,
        postedDate: p.postedDate,
        addedAt: p.addedAt,
      };
    })
    .filter((e) => e.score > 0);
}

/** bm25 values computed twice (SQLite's C, this test's JS) agree to rounding: compare them relatively. */
const sameFloat = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
function compareExpected(a: Expected, b: Expected): number {
  const desc = (x: string | null, y: string | null): number =>
    x === y ? 0 : x === null ? 1 : y === null ? -1 : x < y ? 1 : -1;
  const relevance = sameFloat(a.relevance, b.relevance) ? 0 : a.relevance - b.relevance;
  return (
    b.score - a.score ||
    relevance ||
    desc(a.postedDate, b.postedDate) ||
    desc(a.addedAt, b.addedAt) ||
    b.id - a.id
  );
}

// ---------------------------------------------------------------------------------------------------------

let dir: string;
let db: Db;
let postings: Posting[];
const USER_A = 1;
const USER_B = 2;

function insertPostings(target: Db, rows: Omit<Posting, 'id'>[]): Posting[] {
  const insert = target.prepare(
    `INSERT INTO job_postings (user_id, job_id, link, job_title, job_description, job_location, posted_date, added_at,
       status, fetched_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return target.transaction(() =>
    rows.map((p) => {
      const jobId = String(4_100_000_000 + Math.floor(Math.random() * 1e8));
      const { lastInsertRowid } = insert.run(
        p.userId,
        jobId,
        `https://www.linkedin.com/jobs/view/${jobId}/`,
        p.title,
        p.description,
        p.location,
        p.postedDate,
        p.addedAt,
        p.status,
        p.addedAt,
        p.addedAt,
      );
      return { ...p, id: Number(lastInsertRowid) };
    }),
  )();
}

function addUsers(target: Db, count: number): void {
  for (let i = 1; i <= count; i++) addUser(target, `user${i}@example.com`);
}

/**
 * The user's vocabulary, and the chunks of 4 or more characters of the user's postings (split as the
 * triggers split them), each folded.
 */
function vocabularyAndChunks(target: Db, userId: number): [Set<string>, Set<string>] {
  const vocabulary = target
    .prepare('SELECT word FROM search_vocabulary WHERE user_id = ?')
    .pluck()
    .all(userId) as string[];
  const texts = target
    .prepare('SELECT text FROM job_postings_chunked WHERE user_id = ?')
    .pluck()
    .all(userId) as string[];
  const chunks = texts.flatMap((text) => text.split(' ')).filter((chunk) => [...chunk].length >= 4);
  return [new Set(vocabulary.map(foldCase)), new Set(chunks.map(foldCase))];
}

/** Users as djs stored them before migration 011 gave each one a word index. */
function addUsersBefore011(target: Db, count: number): void {
  const insert = target.prepare(
    "INSERT INTO users (email, password_hash, created_at, updated_at) VALUES (?, 'x', 'now', 'now')",
  );
  for (let i = 1; i <= count; i++) insert.run(`user${i}@example.com`);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'djs-search-unit-'));
  db = openDatabase(join(dir, 'djs.db'));
  addUsers(db, 2);
  postings = insertPostings(db, generate(400, [USER_A, USER_A, USER_B]));
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const QUERIES: string[][] = [
  ['python'],
  ['java'],
  ['go'],
  ['Go', 'GO', 'go'],
  ['c'],
  ['c++'],
  ['c#'],
  ['f#'],
  ['r'],
  ['ai'],
  ['AI', 'ml'],
  ['.net'],
  ['node.js'],
  ['prompt engineering'],
  ['"prompt engineering"'],
  ['prompt   engineering', 'python'],
  ['Kraków'],
  ['KRAKÓW', 'zürich', 'CAFÉ'],
  ['krakow'],
  ['straße', 'москва', 'αθήνα'],
  ['é'],
  ['AND'],
  ['OR', 'and'],
  ['NEAR('],
  ['NEAR(a b)'],
  ['"'],
  ['*'],
  ['*star*'],
  ['-remote'],
  ['-'],
  ["'; DROP TABLE job_postings; --"],
  ['%'],
  ['_'],
  ['100%'],
  ['snake_case'],
  ['e.g.'],
  ['…'],
  ['r&d', 'ml/ai', 'go/rust'],
  ['python', 'java', 'go', 'c++', 'prompt engineering'],
  ['team', 'experience', 'the', 'senior', 'remote'],
  ['rust', 'trust', 'kraków', 'c', 'ai', 'node js'],
  ['x'],
  ['nothing-matches-this'],
  // Words inside longer words, separators, short last words (the phrase index and the vocabulary).
  ['data engineer'],
  ['a engineer'],
  ['embedded c'],
  ['scala'],
  ['ode.js'],
  ['node.'],
  ['ode.jsx'],
  ['data engineer', 'embedded c', 'scala', 'node.js'],
  ['go c'],
  ['e.g. c'],
  ['go r', 'c c'],
];

function expectMatchesOracle(hits: SearchHit[], expected: Expected[]): void {
  const byId = new Map(expected.map((e) => [e.id, e]));
  expect(hits.map((h) => h.postingId).sort((a, b) => a - b)).toEqual(
    expected.map((e) => e.id).sort((a, b) => a - b),
  );
  for (const hit of hits) {
    const oracle = byId.get(hit.postingId)!;
    expect({ id: hit.postingId, score: hit.score, matched: hit.matchedKeywords }).toEqual({
      id: oracle.id,
      score: oracle.score,
      matched: oracle.matched,
    });
    expect(
      sameFloat(hit.relevance, oracle.relevance),
      `relevance ${hit.relevance} vs ${oracle.relevance}`,
    ).toBe(true);
  }
  for (let i = 1; i < hits.length; i++) {
    const previous = byId.get(hits[i - 1]!.postingId)!;
    const current = byId.get(hits[i]!.postingId)!;
    expect(
      compareExpected(previous, current),
      `order at ${i}: ${JSON.stringify([previous, current])}`,
    ).toBeLessThanOrEqual(0);
  }
}

describe('search matches a brute-force oracle', () => {
  it.each(QUERIES.map((q) => [q.join(' | '), q]))('%s', (_label, raw) => {
    const service = new SearchService(db, USER_A);
    const keywords = normaliseKeywords(raw as string[]);
    const all = service.search({ keywords, limit: 10_000 });
    const expected = oracleSearch(postings, USER_A, raw as string[]);
    expectMatchesOracle(all.hits, expected);
    expect(all.matched).toBe(expected.length);
    // A short page is the start of the full ranking (the score threshold never cuts a tie wrongly).
    for (const limit of [1, 3, 20]) {
      const page = service.search({ keywords, limit });
      expect(page.hits.map((h) => h.postingId)).toEqual(all.hits.slice(0, limit).map((h) => h.postingId));
    }
  });

  it('the queries above cover every kind of keyword, and most of them find something', () => {
    const kinds = new Set(QUERIES.flat().map((k) => keywordKind(normaliseKeywords([k])[0]!)));
    expect([...kinds].sort()).toEqual(['punctuation', 'substring', 'word']);
    const found = QUERIES.filter((q) => oracleSearch(postings, USER_A, q).length > 0);
    expect(found.length).toBeGreaterThan(QUERIES.length - 4);
  });

  it.each([
    [{ location: 'kraków' }],
    [{ location: 'ZÜRICH' }],
    [{ location: 'zürich', status: 'new' as const }],
    [{ status: 'applied' as const }],
    [{ since: '2025-02-15' }],
    [{ since: '2025-03-01', location: 'o' }],
  ])('filters %j', (filters) => {
    const raw = ['python', 'go', 'c++', 'kraków', 'ai'];
    const hits = new SearchService(db, USER_A).search({
      keywords: normaliseKeywords(raw),
      limit: 10_000,
      ...filters,
    }).hits;
    const expected = oracleSearch(postings, USER_A, raw, filters);
    expect(expected.length).toBeGreaterThan(0);
    expectMatchesOracle(hits, expected);
  });
});

describe.each([
  ['one person’s postings only', 0],
  ['another person’s postings too', 300],
])('search matches the oracle in a database holding %s', (_label, othersCount) => {
  // 700 postings of one user: with more than 500 tied at the end of the page, bm25() is read only for the
  // most relevant (ORDER BY … LIMIT), and with more than 400 tied on relevance too the dates are read by
  // walking the user's postings newest first.
  let single: Db;
  let mine: Posting[];
  beforeAll(() => {
    single = openDatabase(join(dir, `single-${othersCount}.db`));
    addUsers(single, 2);
    mine = insertPostings(single, [...generate(700, [USER_A], 11), ...generate(othersCount, [USER_B], 13)]);
  });
  afterAll(() => single.close());

  it.each([
    ['-'],
    ['*'],
    ['e.g.', '…'],
    ['python', 'go', 'c++', 'data engineer'],
    ['experience', 'team'],
    ['about'],
    ['about', '-'],
    ['x'],
  ])('%s', (...raw) => {
    const service = new SearchService(single, USER_A);
    const keywords = normaliseKeywords(raw);
    const expected = oracleSearch(mine, USER_A, raw);
    expect(expected.length).toBeGreaterThan(0);
    const all = service.search({ keywords, limit: 10_000 });
    expectMatchesOracle(all.hits, expected);
    expect(all.matched).toBe(expected.length);
    for (const limit of [1, 20]) {
      const page = service.search({ keywords, limit });
      expect(page.hits.map((h) => h.postingId)).toEqual(all.hits.slice(0, limit).map((h) => h.postingId));
    }
  });
});

describe('keywords are text, never syntax', () => {
  it('quotes FTS5 strings by doubling quotes', () => {
    expect(ftsString('c++')).toBe('"c++"');
    expect(ftsString('say "hi"')).toBe('"say ""hi"""');
    expect(ftsString('NEAR(a b)')).toBe('"NEAR(a b)"');
  });

  it('classifies keywords by length and characters', () => {
    expect(keywordKind('go')).toBe('word');
    expect(keywordKind('c#')).toBe('word');
    expect(keywordKind('é')).toBe('word');
    expect(keywordKind('c++')).toBe('substring');
    expect(keywordKind('*')).toBe('punctuation');
    expect(keywordKind('c/')).toBe('punctuation');
    expect(wordTokens("'; DROP TABLE x")).toEqual(['drop', 'table', 'x']);
    expect(wordTokens('"')).toEqual([]);
  });

  it('reads ASCII keywords as the Unicode word class does (their patterns are ASCII only)', () => {
    const wordClass = '[\\p{L}\\p{N}\\p{Co}\\p{M}+#]';
    const unicodeKind = (keyword: string): string =>
      [...keyword].length >= 3
        ? 'substring'
        : new RegExp(`^${wordClass}+$`, 'u').test(keyword)
          ? 'word'
          : 'punctuation';
    const ascii = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));
    // Every ASCII keyword of one or two characters: the only ones keywordKind looks at the characters of.
    for (const keyword of [...ascii, ...ascii.flatMap((first) => ascii.map((second) => first + second))]) {
      expect(keywordKind(keyword), JSON.stringify(keyword)).toBe(unicodeKind(keyword));
    }
    const random = makeRng(14);
    for (let i = 0; i < 5000; i++) {
      const keyword = Array.from(
        { length: 1 + Math.floor(random() * 12) },
        () => ascii[Math.floor(random() * 128)],
      ).join('');
      const expected = keyword.toLowerCase().match(new RegExp(wordClass + '+', 'gu')) ?? [];
      expect(wordTokens(keyword), JSON.stringify(keyword)).toEqual(expected);
    }
  });

  it('never fails on metacharacters and leaves the database intact', () => {
    const service = new SearchService(db, USER_A);
    const nasty = [
      'c++',
      'node.js',
      'AND',
      'OR',
      'NOT',
      'NEAR(',
      'NEAR',
      '"',
      '""',
      '"""',
      '*',
      '-remote',
      '^python',
      "'; DROP TABLE job_postings; --",
      'a:b',
      'job_title:python',
      '{job_title}: x',
      '(',
      ')',
      '+',
      '\\',
      '%',
      '_',
      'x OR y',
    ];
    for (const keyword of nasty) {
      expect(
        () => service.search({ keywords: normaliseKeywords([keyword]), limit: 5 }),
        keyword,
      ).not.toThrow();
    }
    expect(() =>
      service.search({ keywords: normaliseKeywords(nasty.slice(0, MAX_KEYWORDS)), limit: 5 }),
    ).not.toThrow();
    expect(db.prepare('SELECT count(*) FROM job_postings').pluck().get()).toBe(postings.length);
  });

  it('normalises keywords and rejects what is not a keyword', () => {
    expect(normaliseKeywords(['  prompt \n engineering ', 'Python', 'python', 'PYTHON'])).toEqual([
      'prompt engineering',
      'Python',
    ]);
    expect(normaliseKeywords(['cafe\u0301'])).toEqual(['café']);
    expect(() => normaliseKeywords([])).toThrow(/at least one keyword/);
    expect(() => normaliseKeywords(['   '])).toThrow(/empty/);
    expect(() => normaliseKeywords(['a\u0007b'])).toThrow(/control/);
    expect(() => normaliseKeywords(['x'.repeat(201)])).toThrow(/longer/);
    expect(() => normaliseKeywords(Array.from({ length: 21 }, (_, i) => `k${i}`))).toThrow(/at most 20/);
    try {
      normaliseKeywords([]);
    } catch (error) {
      expect((error as { exitCode: number }).exitCode).toBe(2);
    }
  });
});

describe('punctuation keywords are one piece of the phrase index', () => {
  it('a 1–2 character punctuation keyword occurs exactly when its piece is among the text’s pieces', () => {
    const r = makeRng(11);
    // Case that folds to more characters (İ), a combining mark, an astral character, every white space.
    const alphabet = [
      'a',
      'A',
      'c',
      'C',
      'İ',
      'ẞ',
      'é',
      'e\u0301',
      '😀',
      '1',
      '+',
      '#',
      '-',
      '.',
      '/',
      '*',
      '_',
    ];
    const spaces = [' ', '\n', '\t', '\u00a0', '\u3000'];
    const characters = [...alphabet, ...spaces];
    const keywords = new Set<string>();
    for (const a of alphabet) {
      keywords.add(a);
      for (const b of alphabet) keywords.add(a + b);
    }
    const punctuation = [...keywords].filter((k) => keywordKind(k.normalize('NFC')) === 'punctuation');
    let checked = 0;
    for (let round = 0; round < 200; round++) {
      const text = Array.from(
        { length: 1 + Math.floor(r() * 12) },
        () => characters[Math.floor(r() * characters.length)],
      ).join('');
      const pieces = new Set(punctuationPieces(text, null).split(' '));
      for (const raw of punctuation) {
        const keyword = normaliseKeywords([raw])[0]!;
        const piece = punctuationPiece(keyword);
        if (piece === null) continue; // folds to 3 characters: compared with the text instead
        checked++;
        expect(pieces.has(piece), `${JSON.stringify(keyword)} in ${JSON.stringify(text)}`).toBe(
          text.toLowerCase().includes(keyword.toLowerCase()),
        );
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});

describe('users see only their own postings', () => {
  it('another user’s postings never appear, and their words do not count for me', () => {
    const mine = new Set(postings.filter((p) => p.userId === USER_A).map((p) => p.id));
    for (const raw of QUERIES) {
      const hits = new SearchService(db, USER_A).search({
        keywords: normaliseKeywords(raw),
        limit: 10_000,
      }).hits;
      for (const hit of hits) expect(mine.has(hit.postingId)).toBe(true);
    }
    const secret = insertPostings(db, [
      {
        userId: USER_B,
        title: 'Zyzzyva wrangler',
        description: 'qwxz only here',
        location: null,
        postedDate: null,
        addedAt: '2025-04-01T00:00:00.000Z',
        status: 'new',
      },
    ]);
    try {
      expect(new SearchService(db, USER_A).search({ keywords: ['zyzzyva', 'qwxz'], limit: 10 }).hits).toEqual(
        [],
      );
      expect(
        new SearchService(db, USER_B)
          .search({ keywords: ['zyzzyva', 'qwxz'], limit: 10 })
          .hits.map((h) => h.score),
      ).toEqual([2]);
      // A third user with no postings finds nothing at all.
      expect(new SearchService(db, 999).search({ keywords: ['python'], limit: 10 }).hits).toEqual([]);
    } finally {
      db.prepare('DELETE FROM job_postings WHERE id = ?').run(secret[0]!.id);
    }
  });

  it('each user reads only their stretch of the indexes, up to its last posting id (2^32 - 1)', () => {
    const local = openDatabase(join(dir, 'stretches.db'));
    try {
      const now = new Date().toISOString();
      for (const id of [1, 2, 1025]) addUser(local, `user${id}@example.com`, { id, now });
      const insert = local.prepare(
        `INSERT INTO job_postings (id, user_id, job_id, link, job_title, job_description, added_at, fetched_at,
           updated_at) VALUES (?, ?, ?, ?, 'Zig developer', 'Zig, node.js and prompt engineering - C/C++', ?, ?, ?)`,
      );
      // User 1's posting ends their stretch; user 2's and 1025's start theirs right after and far away.
      const postings = [
        [USER_STRETCH - 1, 1],
        [1, 2],
        [2, 1025],
      ] as const;
      for (const [id, userId] of postings) {
        insert.run(id, userId, `42${id}`, `https://www.linkedin.com/jobs/view/42${id}/`, now, now, now);
      }
      for (const [id, userId] of postings) {
        for (const keyword of ['zig', 'go', 'node.js', 'prompt engineering', 'developer', '.', '-', 'c/']) {
          const result = new SearchService(local, userId).search({ keywords: [keyword], limit: 10 });
          expect(result.hits.map((h) => h.postingId)).toEqual(keyword === 'go' ? [] : [id]);
        }
      }
    } finally {
      local.close();
    }
  });

  it('the history is per user', () => {
    const a = new SearchService(db, USER_A);
    const b = new SearchService(db, USER_B);
    a.record(['python', 'prompt engineering'], 'Kraków', '2025-05-01T10:00:00.000Z');
    a.record(['go'], undefined, '2025-05-02T10:00:00.000Z');
    b.record(['secret'], undefined, '2025-05-03T10:00:00.000Z');
    expect(a.history(10)).toMatchObject([
      { keywords: ['go'], location: null, searchedAt: '2025-05-02T10:00:00.000Z' },
      { keywords: ['python', 'prompt engineering'], location: 'Kraków' },
    ]);
    expect(a.history(1)).toHaveLength(1);
    expect(b.history(10).map((h) => h.keywords)).toEqual([['secret']]);
    const stored = db
      .prepare('SELECT keywords FROM user_search_history WHERE user_id = ? ORDER BY id')
      .pluck()
      .all(USER_A);
    expect(stored).toEqual(['["python","prompt engineering"]', '["go"]']);
  });
});

describe('the FTS5 indexes stay in step with job_postings', () => {
  it('an index of more than 12 segments is merged into one at the end of a run, the others are left alone', () => {
    const local = openDatabase(join(dir, 'segments.db'));
    try {
      addUsers(local, 1);
      // No automatic merging in the trigram index: each posting stored alone leaves a segment of its own.
      local.exec(`INSERT INTO job_postings_trigram (job_postings_trigram, rank) VALUES ('automerge', 0)`);
      const rows = generate(14, [USER_A], 5);
      const stored = rows.flatMap((row) => insertPostings(local, [row]));
      const segments = (index: string): number =>
        local.prepare(`SELECT count(DISTINCT segid) FROM ${index}_idx`).pluck().get() as number;
      expect(segments('job_postings_trigram')).toBe(14);
      // The other indexes at a few segments (merged, then one more posting each).
      for (const index of ['job_postings_phrases', 'job_postings_words_1', 'search_vocabulary_trigram']) {
        local.exec(`INSERT INTO ${index} (${index}) VALUES ('optimize')`);
      }
      stored.push(...insertPostings(local, generate(1, [USER_A], 6)));
      const phrases = segments('job_postings_phrases');
      expect(phrases).toBe(2);
      expect(segments('job_postings_trigram')).toBeGreaterThan(MERGE_ABOVE_SEGMENTS);

      expect(mergeFragmentedIndexes(local)).toEqual(['job_postings_trigram']);
      expect(segments('job_postings_trigram')).toBe(1);
      expect(segments('job_postings_phrases')).toBe(phrases);
      expect(mergeFragmentedIndexes(local)).toEqual([]);
      for (const raw of QUERIES.slice(0, 12)) {
        const result = new SearchService(local, USER_A).search({
          keywords: normaliseKeywords(raw),
          limit: 100,
        });
        expectMatchesOracle(result.hits, oracleSearch(stored, USER_A, raw));
      }
    } finally {
      local.close();
    }
  });

  it('follows inserts, title/description updates, deletes and user deletion', () => {
    const local = openDatabase(join(dir, 'sync.db'));
    try {
      addUsers(local, 2);
      const [first, second] = insertPostings(local, [
        {
          userId: 1,
          title: 'Alpha engineer',
          description: 'Go and Rust',
          location: null,
          postedDate: null,
          addedAt: '2025-04-01T00:00:00.000Z',
          status: 'new',
        },
        {
          userId: 2,
          title: 'Beta engineer',
          description: 'Zig',
          location: null,
          postedDate: null,
          addedAt: '2025-04-01T00:00:00.000Z',
          status: 'new',
        },
      ]);
      const find = (userId: number, ...keywords: string[]): number[] =>
        new SearchService(local, userId).search({ keywords, limit: 10 }).hits.map((h) => h.postingId);
      expect(find(1, 'alpha', 'go')).toEqual([first!.id]);
      local
        .prepare("UPDATE job_postings SET job_title = 'Gamma lead', job_description = 'Elixir' WHERE id = ?")
        .run(first!.id);
      expect(find(1, 'alpha', 'go')).toEqual([]);
      expect(find(1, 'gamma', 'elixir')).toEqual([first!.id]);
      local.prepare("UPDATE job_postings SET status = 'applied', notes = 'x' WHERE id = ?").run(first!.id);
      expect(find(1, 'gamma')).toEqual([first!.id]);
      local.prepare('DELETE FROM job_postings WHERE id = ?').run(first!.id);
      expect(find(1, 'gamma')).toEqual([]);
      expect(find(2, 'zig')).toEqual([second!.id]);
      local.prepare('DELETE FROM users WHERE id = 2').run();
      expect(local.prepare('SELECT count(*) FROM job_postings').pluck().get()).toBe(0);
      // Deleted by hand: the user's word index stays, emptied by its triggers (accounts.ts drops it).
      for (const table of ['job_postings_trigram', 'job_postings_phrases', 'job_postings_words_2']) {
        expect(
          local.prepare(`SELECT count(*) FROM ${table} WHERE ${table} MATCH ?`).pluck().get('"zig"'),
        ).toBe(0);
        expect(() =>
          local.prepare(`INSERT INTO ${table} (${table}, rank) VALUES ('integrity-check', 1)`).run(),
        ).not.toThrow();
      }
    } finally {
      local.close();
    }
  });

  // More than 16 chunks end with the keyword's first chunk: the postings holding one of them are checked
  // (trigrams across the first space, then the text); more than 2048: every posting holding all its trigrams.
  it.each([40, 2100])(
    'a keyword whose first chunk ends %i longer chunks ("Co7data engineer") is found exactly where it occurs',
    (companies) => {
      const local = openDatabase(join(dir, `longer-${companies}.db`));
      try {
        addUsers(local, 1);
        const next = [
          'engineer',
          'Engineering,',
          'analyst',
          '\tengineer',
          '\u00a0engineer',
          'eng ineer',
          ' engineer',
        ];
        const rows = Array.from({ length: companies }, (_, i) => ({
          userId: USER_A,
          title: i % 5 === 0 ? 'Data engineer' : 'Engineer',
          description:
            i % 2 === 0
              ? `We are Co${i}data ${next[i % next.length]!} and more.`
              : `Co${i}DATA is hiring: our data ${next[(i * 3) % next.length]!}s team grows.`,
          location: null,
          postedDate: null,
          addedAt: '2025-04-01T00:00:00.000Z',
          status: 'new',
        }));
        const stored = insertPostings(local, rows);
        for (const raw of [['data engineer'], ['DATA ENGINEERING'], ['data analyst', 'a e']]) {
          const result = new SearchService(local, USER_A).search({
            keywords: normaliseKeywords(raw),
            limit: 5000,
          });
          const expected = oracleSearch(stored, USER_A, raw);
          expect(expected.length).toBeGreaterThan(companies / 10);
          expect(expected.length).toBeLessThan(companies);
          expectMatchesOracle(result.hits, expected);
          expect(result.matched).toBe(expected.length);
        }
      } finally {
        local.close();
      }
    },
  );

  it('each user’s vocabulary holds the chunks of their own postings only', () => {
    const local = openDatabase(join(dir, 'vocabularies.db'));
    try {
      addUsers(local, 2);
      insertPostings(local, [
        ...generate(200, [USER_A, USER_B], 31),
        {
          userId: USER_B,
          title: 'Zyzzyvaqx wrangler',
          description: 'Only here: zyzzyvaqx.',
          location: null,
          postedDate: null,
          addedAt: '2025-04-01T00:00:00.000Z',
          status: 'new',
        },
      ]);
      for (const user of [USER_A, USER_B]) {
        const [vocabulary, chunks] = vocabularyAndChunks(local, user);
        expect(vocabulary.size).toBeGreaterThan(20);
        expect(vocabulary).toEqual(chunks);
      }
      // A chunk only user B's postings hold is found for B, never for A.
      const containing = (user: number): string[] =>
        (
          new SearchService(local, user) as unknown as { chunksContaining(chunk: string): string[] }
        ).chunksContaining('yzzyvaq');
      expect(containing(USER_B).sort()).toEqual(['zyzzyvaqx', 'zyzzyvaqx.']);
      expect(containing(USER_A)).toEqual([]);
    } finally {
      local.close();
    }
  });

  it('refuses a posting whose owner has no word index, storing nothing', () => {
    const local = openDatabase(join(dir, 'no-word-index.db'));
    try {
      addUsersBefore011(local, 1);
      expect(() => insertPostings(local, generate(1, [USER_A], 3))).toThrow(/no word index/);
      for (const table of ['job_postings', 'job_postings_trigram', 'job_postings_phrases']) {
        expect(local.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBe(0);
      }
      expect(new SearchService(local, USER_A).search({ keywords: ['go'], limit: 5 }).hits).toEqual([]);
    } finally {
      local.close();
    }
  });

  it('migration 003 indexes postings stored before it', () => {
    const path = join(dir, 'upgrade.db');
    const before = openDatabase(path, { migrations: loadMigrations().filter((m) => m.version <= 2) });
    addUsersBefore011(before, 1);
    insertPostings(before, [
      {
        userId: 1,
        title: 'Old posting',
        description: 'Kraków and C++',
        location: null,
        postedDate: '2024-12-01',
        addedAt: '2024-12-01T00:00:00.000Z',
        status: 'saved',
      },
    ]);
    before.close();
    const after = openDatabase(path);
    try {
      const hits = new SearchService(after, 1).search({ keywords: ['KRAKÓW', 'c++', 'go'], limit: 5 }).hits;
      expect(hits.map((h) => [h.title, h.score, h.matchedKeywords])).toEqual([
        ['Old posting', 2, ['KRAKÓW', 'c++']],
      ]);
    } finally {
      after.close();
    }
  });

  it('a piece of more than 64 different chunks is found in each of them, and nowhere else', () => {
    const local = openDatabase(join(dir, 'pieces.db'));
    try {
      addUsers(local, 1);
      const row = (description: string) => ({
        userId: 1,
        title: 'Engineer',
        description,
        location: null,
        postedDate: null,
        addedAt: '2025-04-01T00:00:00.000Z',
        status: 'new',
      });
      const holding = insertPostings(
        local,
        Array.from({ length: 70 }, (_, i) =>
          row(`We use ${String.fromCharCode(97 + (i % 26))}${i}tion daily.`),
        ),
      );
      insertPostings(local, [row('We use t-i-o-n and ti on, not the piece.')]);
      const result = new SearchService(local, 1).search({ keywords: ['TION'], limit: 100 });
      expect(result.hits.map((h) => h.postingId).sort((a, b) => a - b)).toEqual(holding.map((p) => p.id));
      expect(result.matched).toBe(70);
    } finally {
      local.close();
    }
  });

  // 007: before the trigram index lost its positions (009); 009: before the indexes were numbered by user
  // (010); 010: one word index shared by everyone (before 011, what the previous release built).
  it.each([7, 9, 10])(
    'the migrations after %i convert a database in place: every posting kept, the same answers',
    (level) => {
      const path = join(dir, `at-${level}.db`);
      const before = openDatabase(path, { migrations: loadMigrations().filter((m) => m.version <= level) });
      addUsersBefore011(before, 2);
      const stored = insertPostings(before, generate(300, [USER_A, USER_A, USER_B], 23));
      before.close();
      const notes: string[] = [];
      const after = openDatabase(path, { notify: (text) => notes.push(text) });
      try {
        expect(notes).toEqual([]); // 300 postings: quick, nothing to say
        expect(
          after.prepare('SELECT id, user_id, job_title, job_description FROM job_postings ORDER BY id').all(),
        ).toEqual(
          stored.map((p) => ({
            id: p.id,
            user_id: p.userId,
            job_title: p.title,
            job_description: p.description,
          })),
        );
        const schema = after
          .prepare("SELECT sql FROM sqlite_master WHERE name = 'job_postings_trigram'")
          .pluck()
          .get() as string;
        expect(schema).toMatch(/detail = none/);
        // Every shared index holds each posting once, under its owner's stretch of rowids; each user's word
        // index holds that user's postings.
        const owners = stored.map((p) => p.userId * USER_STRETCH + p.id).sort((a, b) => a - b);
        for (const table of ['job_postings_trigram', 'job_postings_phrases']) {
          expect(after.prepare(`SELECT rowid FROM ${table} ORDER BY rowid`).pluck().all()).toEqual(owners);
        }
        for (const user of [USER_A, USER_B]) {
          expect(
            after.prepare(`SELECT rowid FROM job_postings_words_${user} ORDER BY rowid`).pluck().all(),
          ).toEqual(stored.filter((p) => p.userId === user).map((p) => p.id));
          // Each user's vocabulary is the chunks of their own postings, under their stretch.
          const [vocabulary, chunks] = vocabularyAndChunks(after, user);
          expect(vocabulary).toEqual(chunks);
          expect(
            after
              .prepare('SELECT count(*) FROM search_vocabulary WHERE user_id = ? AND id >> 32 != user_id')
              .pluck()
              .get(user),
          ).toBe(0);
        }
        for (const raw of QUERIES) {
          const all = new SearchService(after, USER_A).search({
            keywords: normaliseKeywords(raw),
            limit: 10_000,
          });
          const expected = oracleSearch(stored, USER_A, raw);
          expectMatchesOracle(all.hits, expected);
          expect(all.matched).toBe(expected.length);
        }
      } finally {
        after.close();
      }
    },
  );
});
