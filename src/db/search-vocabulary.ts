/**
 * Each person's vocabulary of chunks (migration 011): the text between white space of their postings, 4 or
 * more characters, ASCII-folded, numbered user_id × 2^32 + n, with a trigram index to find the chunks that
 * contain a keyword (jobs/search.ts). Kept by the posting triggers; deleting an account deletes its rows.
 */
import { optimizeIndex, type Db } from './fts5.js';

/**
 * The shared search indexes and the vocabulary number a user's rows user_id × USER_STRETCH + n (migrations
 * 010 and 011), so each person's rows are one stretch of every list, which a query seeks to (rowid BETWEEN)
 * and stops after.
 */
export const USER_STRETCH = 2 ** 32;

/**
 * The first and last ids of the user's stretch. BigInts, which SQLite receives as integers (a JS number is
 * bound as a float: rowid - 2^32 would print as "1.0").
 */
export function userStretch(userId: number): [bigint, bigint] {
  const first = BigInt(userId) * BigInt(USER_STRETCH);
  return [first, first + BigInt(USER_STRETCH) - 1n];
}

/**
 * Migration 011: the vocabulary everyone shared (search_vocabulary_before_011) split into each user's own:
 * the words that are a token of one of the user's postings in the phrase index (the same chunks, whatever
 * their case), looked up in the user's stretch of it. Then the shared one is dropped.
 */
export function splitVocabularyByUser(db: Db): void {
  const users = db.prepare('SELECT id FROM users ORDER BY id').pluck().all() as number[];
  const split = db.prepare(
    `INSERT INTO search_vocabulary (id, user_id, word)
     SELECT :first + row_number() OVER (ORDER BY shared.id), :user, shared.word
     FROM search_vocabulary_before_011 AS shared
     WHERE EXISTS (SELECT 1 FROM job_postings_phrases
       WHERE job_postings_phrases MATCH '"' || replace(shared.word, '"', '""') || '"'
         AND rowid BETWEEN :first AND :last)`,
  );
  for (const user of users) {
    const [first, last] = userStretch(user);
    split.run({ user, first, last });
  }
  db.exec('DROP TABLE search_vocabulary_before_011');
  optimizeIndex(db, 'search_vocabulary_trigram');
}
