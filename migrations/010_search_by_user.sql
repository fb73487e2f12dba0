-- Each person's search reads only their own part of the indexes (issue 14: another user's postings must not
-- slow a search down), and a 1–2 character punctuation keyword is one index lookup.
--   * The three posting indexes (trigram, phrases, words) number each posting user_id × 2^32 + id instead of
--     id. FTS5 keeps a term's postings in rowid order, so one person's postings are one stretch of every
--     term's list, and a query limited to `rowid BETWEEN user_id × 2^32 AND user_id × 2^32 + 2^32 - 1` seeks
--     to it and stops after it. This replaces migration 009's per-user markers (which the word index never
--     had: a search with a 1–2 character word walked every user's postings). bm25()'s statistics stay those
--     of the whole index, so relevance is as before. The word index becomes contentless like the other two
--     (its rowids no longer name job_postings rows); bm25() reads only what it stores.
--   * The phrase index also holds, after a line-feed token, one piece per distinct 1–2 character run of the
--     case-folded title or description that holds a character other than a letter, digit, mark, '+' or
--     '#' and no white space (djs_punctuation_pieces, src/core/search-text.ts): U+0003 and the code points
--     in hexadecimal ("-" → U+0003 2d). A keyword such as "-", "c/" or "." is then the one piece it folds
--     to, instead of every trigram starting with it (migration 009: hundreds of lists merged).
-- slow: job_postings > 10000: Rebuilding the search index for faster searches (once, after this upgrade): a few minutes per 100,000 postings.

DROP TRIGGER job_postings_fts_insert;
DROP TRIGGER job_postings_fts_delete;
DROP TRIGGER job_postings_fts_update;
-- The old indexes hold nothing but the postings' own text, which stays: no need to overwrite their pages.
PRAGMA secure_delete = OFF;
DROP TABLE job_postings_trigram_vocab;
DROP TABLE job_postings_trigram;
DROP TABLE job_postings_phrases;
DROP TABLE job_postings_words;
PRAGMA secure_delete = ON;

CREATE VIRTUAL TABLE job_postings_trigram USING fts5(
  text,
  content = '',
  contentless_delete = 1,
  detail = none,
  tokenize = 'trigram case_sensitive 0'
);

-- As in migration 009: every character but the plain space is a token character.
CREATE VIRTUAL TABLE job_postings_phrases USING fts5(
  text,
  content = '',
  contentless_delete = 1,
  tokenize = "unicode61 remove_diacritics 0 categories 'L* N* M* P* S* C*' tokenchars   ᠎               　"
);

CREATE VIRTUAL TABLE job_postings_words USING fts5(
  job_title,
  job_description,
  content = '',
  contentless_delete = 1,
  tokenize = "unicode61 remove_diacritics 0 tokenchars '+#' categories 'L* N* Co M*'"
);

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
  INSERT INTO job_postings_words (rowid, job_title, job_description)
    VALUES (new.user_id * 4294967296 + new.id, new.job_title, new.job_description);
END;

CREATE TRIGGER job_postings_fts_delete AFTER DELETE ON job_postings BEGIN
  DELETE FROM job_postings_trigram WHERE rowid = old.user_id * 4294967296 + old.id;
  DELETE FROM job_postings_phrases WHERE rowid = old.user_id * 4294967296 + old.id;
  DELETE FROM job_postings_words WHERE rowid = old.user_id * 4294967296 + old.id;
END;

-- Only when the indexed text (or, never in practice, the owner) changes: status and notes updates leave the
-- indexes alone.
CREATE TRIGGER job_postings_fts_update AFTER UPDATE OF job_title, job_description, user_id ON job_postings
BEGIN
  DELETE FROM job_postings_trigram WHERE rowid = old.user_id * 4294967296 + old.id;
  DELETE FROM job_postings_phrases WHERE rowid = old.user_id * 4294967296 + old.id;
  DELETE FROM job_postings_words WHERE rowid = old.user_id * 4294967296 + old.id;
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
  INSERT INTO job_postings_words (rowid, job_title, job_description)
    VALUES (new.user_id * 4294967296 + new.id, new.job_title, new.job_description);
END;

-- Postings stored before this migration, person by person (each index then holds one stretch per person),
-- each index merged into one segment. The vocabulary is unchanged.
INSERT INTO job_postings_trigram (rowid, text)
  SELECT user_id * 4294967296 + id,
    coalesce(job_title, '') || char(10) || coalesce(job_description, '') || char(10, 10)
  FROM job_postings ORDER BY user_id, id;
INSERT INTO job_postings_phrases (rowid, text)
  SELECT posting.user_id * 4294967296 + posting.id,
    chunked.text || ' ' || char(1) || ' ' || djs_punctuation_pieces(posting.job_title, posting.job_description)
  FROM job_postings AS posting JOIN job_postings_chunked AS chunked ON chunked.id = posting.id
  ORDER BY posting.user_id, posting.id;
INSERT INTO job_postings_words (rowid, job_title, job_description)
  SELECT user_id * 4294967296 + id, job_title, job_description FROM job_postings ORDER BY user_id, id;
INSERT INTO job_postings_trigram (job_postings_trigram) VALUES ('optimize');
INSERT INTO job_postings_phrases (job_postings_phrases) VALUES ('optimize');
INSERT INTO job_postings_words (job_postings_words) VALUES ('optimize');
