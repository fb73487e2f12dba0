/**
 * The health of the search indexes (`djs doctor`) and their upkeep (`djs doctor --fix`). FTS5 adds a segment
 * per transaction that stores postings and merges them in the background as it goes (automerge); a search
 * looks each keyword up in every segment, so a long collection leaves searches slower until they are merged.
 */
import { DjsError } from '../core/errors.js';
import { PAGE_SIZE, type Db } from '../db/database.js';
import { wordIndexTables } from '../db/word-index.js';
import { optimizeIndex } from '../db/fts5.js';

/** The FTS5 indexes `djs search` reads that everyone's rows share, each person's in a stretch (migrations 010, 011). */
const SHARED_INDEXES = ['job_postings_trigram', 'job_postings_phrases', 'search_vocabulary_trigram'];

/** Every FTS5 index `djs search` reads: the shared ones, then each user's word index (migration 011). */
function searchIndexes(db: Db): string[] {
  return [...SHARED_INDEXES, ...wordIndexTables(db)];
}

/**
 * Above this many segments in one index a search does noticeably more lookups per keyword: FTS5's own
 * merging (automerge 4, crisismerge 16) keeps a database filled one posting at a time at 15–45.
 */
export const MAX_SEGMENTS = 64;
/**
 * Above this many segments in an index, update-db merges it into one as it finishes (mergeFragmentedIndexes).
 * A keyword made of many chunks ("data engineer": every company name ending in "data") is looked up in every
 * segment, so a long collection would leave such searches several times slower. A daily run adds a few
 * segments, so this happens every few weeks, for a few seconds per 100,000 postings.
 */
export const MERGE_ABOVE_SEGMENTS = 12;
/** Above this share of free pages the file is mostly holes (after migration 009 replaced an index). */
export const MAX_FREE_SHARE = 0.25;

export interface SearchIndexHealth {
  /** Segments per index: each keyword is looked up in every one of them. */
  segments: Record<string, number>;
  pageSize: number;
  pages: number;
  freePages: number;
}

function segmentsOf(db: Db, index: string): number {
  return db.prepare(`SELECT count(DISTINCT segid) FROM ${index}_idx`).pluck().get() as number;
}

export function searchIndexHealth(db: Db): SearchIndexHealth {
  const value = (sql: string): number => db.prepare(sql).pluck().get() as number;
  const segments = Object.fromEntries(searchIndexes(db).map((index) => [index, segmentsOf(db, index)]));
  return {
    segments,
    pageSize: value('PRAGMA page_size'),
    pages: value('PRAGMA page_count'),
    freePages: value('PRAGMA freelist_count'),
  };
}

/** One line: segments per index, page size, free pages. */
export function describeHealth(health: SearchIndexHealth): string {
  return (
    `${Object.values(health.segments).join(' + ')} segments, ` +
    `${health.pageSize / 1024} KB pages, ${health.freePages} of ${health.pages} pages free`
  );
}

/** What is wrong with the index, one phrase per problem; empty when healthy. */
export function searchIndexProblems(health: SearchIndexHealth): string[] {
  const problems: string[] = [];
  const fragmented = Object.keys(health.segments).filter((index) => health.segments[index]! > MAX_SEGMENTS);
  if (fragmented.length > 0)
    problems.push(`${fragmented.join(' and ')} in more than ${MAX_SEGMENTS} segments`);
  if (health.pageSize < PAGE_SIZE)
    problems.push(`${health.pageSize / 1024} KB pages (new databases use ${PAGE_SIZE / 1024} KB)`);
  if (health.freePages > health.pages * MAX_FREE_SHARE) {
    problems.push(`${Math.round((100 * health.freePages) / health.pages)}% of the file is free pages`);
  }
  return problems;
}

/**
 * Merges each index of more than `limit` segments into one (FTS5 `optimize`, one transaction per index, so
 * other connections read and write in between); returns the indexes merged.
 */
export function mergeFragmentedIndexes(db: Db, limit = MERGE_ABOVE_SEGMENTS): string[] {
  const fragmented = searchIndexes(db).filter((index) => segmentsOf(db, index) > limit);
  for (const index of fragmented) db.transaction(() => optimizeIndex(db, index)).immediate();
  return fragmented;
}

/**
 * Merges each index into one segment (FTS5 `optimize`), then rewrites the file (VACUUM) with the current
 * page size and without free pages. VACUUM cannot change the page size of a database in WAL mode, so the
 * database leaves WAL for it, which needs every other connection closed: while another djs (update-db)
 * has the database open, this fails with a message and changes nothing but the merged indexes.
 */
export function optimiseSearchIndexes(db: Db): void {
  db.transaction(() => {
    for (const index of searchIndexes(db)) optimizeIndex(db, index);
  }).immediate();
  if (!leaveWal(db)) {
    throw new DjsError(
      'The search indexes are merged, but the database file could not be rewritten: another djs (update-db?) is using it. Run `djs doctor --fix` again when it has finished.',
    );
  }
  try {
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.exec('VACUUM');
  } finally {
    db.pragma('journal_mode = WAL');
  }
}

/** False when another connection keeps the database in WAL mode. */
function leaveWal(db: Db): boolean {
  try {
    return db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw error;
  }
}
