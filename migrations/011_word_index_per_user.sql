-- Each person's word index (src/db/word-index.ts): the shared job_postings_words becomes one table per user,
-- job_postings_words_<user id>, numbered by posting id, kept by that user's own triggers. bm25() counts every
-- keyword over its whole table on each search (its IDF): over everyone's postings, that walked the other
-- people's too (issue 14: another user's data must not slow a search down), and their words weighed in my
-- order. The tables are created and filled right after this file, in the same transaction
-- (database.ts, MIGRATION_STEPS); new accounts get theirs when they are created (accounts.ts).
-- slow: job_postings > 10000: Building each person's word index (once, after this upgrade): about ten seconds per 100,000 postings.

DROP TRIGGER job_postings_fts_insert;
DROP TRIGGER job_postings_fts_delete;
DROP TRIGGER job_postings_fts_update;
-- The old index holds nothing but the postings' own words, which stay: no need to overwrite its pages.
PRAGMA secure_delete = OFF;
DROP TABLE job_postings_words;
PRAGMA secure_delete = ON;

-- Migration 010's triggers without the word index.
CREATE TRIGGER job_postings_fts_insert AFTER INSERT ON job_postings BEGIN
  INSERT INTO job_postings_trigram (rowid, text)
    VALUES (new.user_id * 4294967296 + new.id,
      coalesce(new.job_title, '') || char(10) || coalesce(new.job_description, '') || char(10, 10));
  INSERT INTO job_postings_phrases (rowid, text)
    SELECT new.user_id * 4294967296 + id,
      text || ' ' || char(1) || ' ' || djs_punctuation_pieces(new.job_title, new.job_description)
    FROM job_postings_chunked WHERE id = new.id;
  -- The chunks, split as a JSON array (json_quote escapes everything but the spaces), ASCII-folded.
  INSERT INTO search_vocabulary (word)
    SELECT DISTINCT lower(chunk.value)
    FROM job_postings_chunked AS posting,
      json_each('[' || replace(json_quote(posting.text), ' ', '","') || ']') AS chunk
    WHERE posting.id = new.id AND length(chunk.value) >= 4
      AND NOT EXISTS (SELECT 1 FROM search_vocabulary WHERE word = lower(chunk.value));
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
  -- The chunks, split as a JSON array (json_quote escapes everything but the spaces), ASCII-folded.
  INSERT INTO search_vocabulary (word)
    SELECT DISTINCT lower(chunk.value)
    FROM job_postings_chunked AS posting,
      json_each('[' || replace(json_quote(posting.text), ' ', '","') || ']') AS chunk
    WHERE posting.id = new.id AND length(chunk.value) >= 4
      AND NOT EXISTS (SELECT 1 FROM search_vocabulary WHERE word = lower(chunk.value));
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
