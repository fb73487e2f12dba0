-- What is left of the search indexes that everyone shared becomes each person's own (issue 14: another
-- user's data must not slow a search down):
--   * The word index (src/db/word-index.ts): the shared job_postings_words becomes one table per user,
--     job_postings_words_<user id>, numbered by posting id, kept by that user's own triggers. bm25() counts
--     every keyword over its whole table on each search (its IDF): over everyone's postings, that walked the
--     other people's too, and their words weighed in my order.
--   * The vocabulary of chunks (src/db/search-vocabulary.ts): one per user, numbered user_id × 2^32 + n like
--     the other indexes, so a search looks up only the chunks of the user's own postings (with everyone's,
--     "data engineer" looked up every other person's company name ending in "data" too). Deleting an
--     account deletes its vocabulary.
-- Both are filled right after this file, in the same transaction (database.ts, MIGRATION_STEPS); new accounts
-- get their word index when they are created (accounts.ts).
-- slow: job_postings > 10000: Building each person's search word index and vocabulary (once, after this upgrade): about ten seconds per 100,000 postings.

DROP TRIGGER job_postings_fts_insert;
DROP TRIGGER job_postings_fts_delete;
DROP TRIGGER job_postings_fts_update;
-- The old index holds nothing but the postings' own words, which stay: no need to overwrite its pages.
PRAGMA secure_delete = OFF;
DROP TABLE job_postings_words;
DROP TRIGGER search_vocabulary_insert;
DROP TABLE search_vocabulary_trigram;
PRAGMA secure_delete = ON;
-- Split by user right after this file (splitVocabularyByUser), then dropped.
ALTER TABLE search_vocabulary RENAME TO search_vocabulary_before_011;

CREATE TABLE search_vocabulary (
  -- user_id × 2^32 + n: each person's chunks are one stretch of the trigram index below.
  id      INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  word    TEXT NOT NULL,
  UNIQUE (user_id, word)
) STRICT;

CREATE VIRTUAL TABLE search_vocabulary_trigram USING fts5(
  word,
  content = 'search_vocabulary',
  content_rowid = 'id',
  tokenize = 'trigram case_sensitive 0'
);

CREATE TRIGGER search_vocabulary_insert AFTER INSERT ON search_vocabulary BEGIN
  INSERT INTO search_vocabulary_trigram (rowid, word) VALUES (new.id, new.word);
END;

CREATE TRIGGER search_vocabulary_delete AFTER DELETE ON search_vocabulary BEGIN
  INSERT INTO search_vocabulary_trigram (search_vocabulary_trigram, rowid, word)
    VALUES ('delete', old.id, old.word);
END;

-- Migration 010's triggers without the word index.
CREATE TRIGGER job_postings_fts_insert AFTER INSERT ON job_postings BEGIN
  INSERT INTO job_postings_trigram (rowid, text)
    VALUES (new.user_id * 4294967296 + new.id,
      coalesce(new.job_title, '') || char(10) || coalesce(new.job_description, '') || char(10, 10));
  INSERT INTO job_postings_phrases (rowid, text)
    SELECT new.user_id * 4294967296 + id,
      text || ' ' || char(1) || ' ' || djs_punctuation_pieces(new.job_title, new.job_description)
    FROM job_postings_chunked WHERE id = new.id;
  -- The chunks the user's vocabulary lacks, split as a JSON array (json_quote escapes everything but the
  -- spaces), ASCII-folded, numbered on from the end of the user's stretch.
  INSERT INTO search_vocabulary (id, user_id, word)
    SELECT coalesce((SELECT max(id) FROM search_vocabulary WHERE id BETWEEN new.user_id * 4294967296
        AND new.user_id * 4294967296 + 4294967295), new.user_id * 4294967296) + row_number() OVER (),
      new.user_id, chunks.word
    FROM (SELECT DISTINCT lower(chunk.value) AS word
      FROM job_postings_chunked AS posting,
        json_each('[' || replace(json_quote(posting.text), ' ', '","') || ']') AS chunk
      WHERE posting.id = new.id AND length(chunk.value) >= 4) AS chunks
    WHERE NOT EXISTS (SELECT 1 FROM search_vocabulary WHERE user_id = new.user_id AND word = chunks.word);
END;

CREATE TRIGGER job_postings_fts_delete AFTER DELETE ON job_postings BEGIN
  DELETE FROM job_postings_trigram WHERE rowid = old.user_id * 4294967296 + old.id;
  DELETE FROM job_postings_phrases WHERE rowid = old.user_id * 4294967296 + old.id;
END;

CREATE TRIGGER job_postings_fts_update AFTER UPDATE OF job_title, job_description, user_id ON job_postings
BEGIN
  DELETE FROM job_postings_trigram WHERE rowid = old.user_id * 4294967296 + old.id;
  DELETE FROM job_postings_phrases WHERE rowid = old.user_id * 4294967296 + old.id;
  INSERT INTO job_postings_trigram (rowid, text)
    VALUES (new.user_id * 4294967296 + new.id,
      coalesce(new.job_title, '') || char(10) || coalesce(new.job_description, '') || char(10, 10));
  INSERT INTO job_postings_phrases (rowid, text)
    SELECT new.user_id * 4294967296 + id,
      text || ' ' || char(1) || ' ' || djs_punctuation_pieces(new.job_title, new.job_description)
    FROM job_postings_chunked WHERE id = new.id;
  -- The chunks the user's vocabulary lacks, split as a JSON array (json_quote escapes everything but the
  -- spaces), ASCII-folded, numbered on from the end of the user's stretch.
  INSERT INTO search_vocabulary (id, user_id, word)
    SELECT coalesce((SELECT max(id) FROM search_vocabulary WHERE id BETWEEN new.user_id * 4294967296
        AND new.user_id * 4294967296 + 4294967295), new.user_id * 4294967296) + row_number() OVER (),
      new.user_id, chunks.word
    FROM (SELECT DISTINCT lower(chunk.value) AS word
      FROM job_postings_chunked AS posting,
        json_each('[' || replace(json_quote(posting.text), ' ', '","') || ']') AS chunk
      WHERE posting.id = new.id AND length(chunk.value) >= 4) AS chunks
    WHERE NOT EXISTS (SELECT 1 FROM search_vocabulary WHERE user_id = new.user_id AND word = chunks.word);
END;

-- A posting whose owner has no word index would be stored unsearchable by its words: refused instead (a
-- program that adds users without accounts.ts must call createWordIndex).
CREATE TRIGGER job_postings_word_index_required_insert BEFORE INSERT ON job_postings
WHEN NOT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'job_postings_words_' || new.user_id)
BEGIN
  SELECT RAISE(ABORT, 'this user has no word index (src/db/word-index.ts createWordIndex)');
END;
CREATE TRIGGER job_postings_word_index_required_update BEFORE UPDATE OF user_id ON job_postings
WHEN NOT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'job_postings_words_' || new.user_id)
BEGIN
  SELECT RAISE(ABORT, 'this user has no word index (src/db/word-index.ts createWordIndex)');
END;
