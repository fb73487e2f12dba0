/**
 * Each person's word index (migration 011): the FTS5 index of whole words that answers 1–2 character word
 * keywords and whose bm25() orders tied postings, one table per user. bm25() counts, for every keyword, the
 * postings of the whole table that hold it (its IDF) on every search: in one table shared by everyone, that
 * count walked every other person's postings too, so their data slowed each search down (issue 14), and
 * their words changed the order of mine. Kept by triggers like the other indexes: each user's three
 * triggers fire only for that user's postings (WHEN), and migration 011's guard refuses a posting whose
 * owner has no word index, so a posting can never be stored unindexed.
 */
import { optimizeIndex, type Db } from './fts5.js';

const WORD_INDEX_PREFIX = 'job_postings_words_';

/** The user's word index table: job_postings_words_<user id>. */
export function wordIndexName(userId: number): string {
  // The id becomes part of SQL text (a table name cannot be bound): a positive integer and nothing else.
  if (!Number.isSafeInteger(userId) || userId <= 0) throw new RangeError(`not a user id: ${userId}`);
  return `${WORD_INDEX_PREFIX}${userId}`;
}

/** Whether the user has a word index (a user without one has never had a posting stored). */
export function hasWordIndex(db: Db, userId: number): boolean {
  return (
    db
      .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")
      .pluck()
      .get(wordIndexName(userId)) === 1
  );
}

/** Every user's word index table (for upkeep: doctor, the end-of-run merge). */
export function wordIndexTables(db: Db): string[] {
  return db
    .prepare(
      `SELECT name FROM (SELECT ? || id AS name FROM users)
       WHERE name IN (SELECT name FROM sqlite_schema WHERE type = 'table') ORDER BY name`,
    )
    .pluck()
    .all(WORD_INDEX_PREFIX) as string[];
}

/**
 * Creates the user's word index and its triggers, and indexes the postings the user already has (the
 * migration; a new account has none). Call it inside the transaction that creates the user.
 */
export function createWordIndex(db: Db, userId: number): void {
  const table = wordIndexName(userId);
  db.exec(`
    CREATE VIRTUAL TABLE ${table} USING fts5(
      job_title,
      job_description,
      content = '',
      contentless_delete = 1,
      tokenize = "unicode61 remove_diacritics 0 tokenchars '+#' categories 'L* N* Co M*'"
    );
    CREATE TRIGGER ${table}_insert AFTER INSERT ON job_postings WHEN new.user_id = ${userId} BEGIN
      INSERT INTO ${table} (rowid, job_title, job_description)
        VALUES (new.id, new.job_title, new.job_description);
    END;
    CREATE TRIGGER ${table}_delete AFTER DELETE ON job_postings WHEN old.user_id = ${userId} BEGIN
      DELETE FROM ${table} WHERE rowid = old.id;
    END;
    -- Only when the indexed text (or, never in practice, the owner) changes: status and notes updates leave
    -- the index alone.
    CREATE TRIGGER ${table}_update AFTER UPDATE OF job_title, job_description, user_id ON job_postings
    WHEN old.user_id = ${userId} OR new.user_id = ${userId} BEGIN
      DELETE FROM ${table} WHERE rowid = old.id AND old.user_id = ${userId};
      INSERT INTO ${table} (rowid, job_title, job_description)
        SELECT new.id, new.job_title, new.job_description WHERE new.user_id = ${userId};
    END;
  `);
  const indexed = db
    .prepare(
      `INSERT INTO ${table} (rowid, job_title, job_description)
       SELECT id, job_title, job_description FROM job_postings WHERE user_id = ? ORDER BY id`,
    )
    .run(userId);
  if (indexed.changes > 0) optimizeIndex(db, table);
}

/** Removes the user's word index and its triggers (before the account itself is deleted). */
export function dropWordIndex(db: Db, userId: number): void {
  const table = wordIndexName(userId);
  db.exec(`
    DROP TRIGGER IF EXISTS ${table}_insert;
    DROP TRIGGER IF EXISTS ${table}_delete;
    DROP TRIGGER IF EXISTS ${table}_update;
    DROP TABLE IF EXISTS ${table};
  `);
}

/** Migration 011: a word index for every user, holding their postings. */
export function createEveryWordIndex(db: Db): void {
  const users = db.prepare('SELECT id FROM users ORDER BY id').pluck().all() as number[];
  for (const userId of users) createWordIndex(db, userId);
}
