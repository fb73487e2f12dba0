-- A search index a third the size, as fast for every keyword (issue 14). Migration 003's trigram index kept
-- every position of every trigram (FTS5 detail=full): 3.7× the text it indexes. It is rebuilt here without
-- positions, and a phrase index and a vocabulary give back what positions were needed for
-- (src/jobs/search.ts, src/core/search-text.ts):
--   * job_postings_trigram, detail=none (≈ 0.5× the text): which postings hold each trigram. A 3-character
--     keyword is one trigram, answered exactly; a longer one matches the postings holding all its trigrams,
--     a superset. One column: a per-user marker (three control characters, which no keyword holds), the title
--     and the description, joined and ended by line feeds: a keyword never holds a line feed, so it occurs in
--     the joined text exactly when it occurs in the title or in the description, and every character of the
--     text starts a trigram (what answers 1–2 character punctuation keywords from the trigram vocabulary).
--   * job_postings_phrases, detail=full (≈ 0.45×): the chunks of text between white space, with positions;
--     two chunks are neighbours exactly when one plain space separates them (job_postings_chunked, below).
--     It starts with a per-user marker token (char(2) || 'u' || user id).
--   * search_vocabulary: every chunk of 4 or more characters any posting held (never shrinks: a chunk no
--     posting holds any more finds nothing), with a trigram index of its own: the chunks containing a
--     keyword.
-- The markers let a search skip other people's postings. The trigram and phrase indexes are contentless
-- (content=''; the text is kept once, in job_postings); contentless_delete=1 lets the triggers delete a
-- posting's entries by id alone. The word index (migration 003) stays as it is: bm25() and whole-word
-- matching need its positions. Everything is SQL: any connection can store postings.
-- slow: job_postings > 10000: Rebuilding the search index (once, after this upgrade): a few minutes per 100,000 postings. Afterwards `djs doctor --fix` gives the freed disk space back.

DROP TRIGGER job_postings_fts_insert;
DROP TRIGGER job_postings_fts_delete;
DROP TRIGGER job_postings_fts_update;
-- The old index holds nothing but the postings' own text, which stays: no need to overwrite its pages.
PRAGMA secure_delete = OFF;
DROP TABLE job_postings_trigram;
PRAGMA secure_delete = ON;

CREATE VIRTUAL TABLE job_postings_trigram USING fts5(
  text,
  content = '',
  contentless_delete = 1,
  detail = none,
  tokenize = 'trigram case_sensitive 0'
);

-- The trigrams themselves, in order: a 1–2 character keyword occurs where a trigram starts with it.
CREATE VIRTUAL TABLE job_postings_trigram_vocab USING fts5vocab(job_postings_trigram, row);

-- Each posting's title and description, joined by a line feed, with every line feed, carriage return and
-- tab, and every two spaces in a row, turned into the token " U+0001 ": so that only a single plain space
-- leaves two chunks neighbours in the phrase index, and a line's last word and the next line's first are
-- chunks of their own.
CREATE VIEW job_postings_chunked AS
  SELECT id, user_id,
    replace(replace(replace(replace(coalesce(job_title, '') || char(10) || coalesce(job_description, ''),
      char(13), ' ' || char(1) || ' '), char(9), ' ' || char(1) || ' '), char(10), ' ' || char(1) || ' '),
      '  ', ' ' || char(1) || ' ') AS text
  FROM job_postings;

-- Every character but the plain space is a token character: a token is a chunk. The other white space
-- (Unicode category Z: U+00A0, U+1680, U+180E, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) is
-- listed in tokenchars, written as those characters themselves.
CREATE VIRTUAL TABLE job_postings_phrases USING fts5(
  text,
  content = '',
  contentless_delete = 1,
  tokenize = "unicode61 remove_diacritics 0 categories 'L* N* M* P* S* C*' tokenchars   ᠎               　"
);

CREATE TABLE search_vocabulary (
  id   INTEGER PRIMARY KEY,
  word TEXT NOT NULL UNIQUE
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

CREATE TRIGGER job_postings_fts_insert AFTER INSERT ON job_postings BEGIN
  INSERT INTO job_postings_trigram (rowid, text)
    VALUES (new.id, char(1, 128 + (new.user_id >> 5) % 32, 128 + new.user_id % 32, 10)
      || coalesce(new.job_title, '') || char(10) || coalesce(new.job_description, '') || char(10, 10));
  INSERT INTO job_postings_phrases (rowid, text)
    SELECT id, char(2) || 'u' || user_id || ' ' || text FROM job_postings_chunked WHERE id = new.id;
  -- The chunks, split as a JSON array (json_quote escapes everything but the spaces), ASCII-folded.
  INSERT INTO search_vocabulary (word)
    SELECT DISTINCT lower(chunk.value)
    FROM job_postings_chunked AS posting,
      json_each('[' || replace(json_quote(posting.text), ' ', '","') || ']') AS chunk
    WHERE posting.id = new.id AND length(chunk.value) >= 4
      AND NOT EXISTS (SELECT 1 FROM search_vocabulary WHERE word = lower(chunk.value));
  INSERT INTO job_postings_words (rowid, job_title, job_description)
    VALUES (new.id, new.job_title, new.job_description);
END;

CREATE TRIGGER job_postings_fts_delete AFTER DELETE ON job_postings BEGIN
  DELETE FROM job_postings_trigram WHERE rowid = old.id;
  DELETE FROM job_postings_phrases WHERE rowid = old.id;
  INSERT INTO job_postings_words (job_postings_words, rowid, job_title, job_description)
    VALUES ('delete', old.id, old.job_title, old.job_description);
END;

-- Only when the indexed text changes: status and notes updates leave the indexes alone.
CREATE TRIGGER job_postings_fts_update AFTER UPDATE OF job_title, job_description ON job_postings BEGIN
  DELETE FROM job_postings_trigram WHERE rowid = old.id;
  DELETE FROM job_postings_phrases WHERE rowid = old.id;
  INSERT INTO job_postings_words (job_postings_words, rowid, job_title, job_description)
    VALUES ('delete', old.id, old.job_title, old.job_description);
  INSERT INTO job_postings_trigram (rowid, text)
    VALUES (new.id, char(1, 128 + (new.user_id >> 5) % 32, 128 + new.user_id % 32, 10)
      || coalesce(new.job_title, '') || char(10) || coalesce(new.job_description, '') || char(10, 10));
  INSERT INTO job_postings_phrases (rowid, text)
    SELECT id, char(2) || 'u' || user_id || ' ' || text FROM job_postings_chunked WHERE id = new.id;
  -- The chunks, split as a JSON array (json_quote escapes everything but the spaces), ASCII-folded.
  INSERT INTO search_vocabulary (word)
    SELECT DISTINCT lower(chunk.value)
    FROM job_postings_chunked AS posting,
      json_each('[' || replace(json_quote(posting.text), ' ', '","') || ']') AS chunk
    WHERE posting.id = new.id AND length(chunk.value) >= 4
      AND NOT EXISTS (SELECT 1 FROM search_vocabulary WHERE word = lower(chunk.value));
  INSERT INTO job_postings_words (rowid, job_title, job_description)
    VALUES (new.id, new.job_title, new.job_description);
END;

-- Postings stored before this migration, each index merged into one segment.
INSERT INTO job_postings_trigram (rowid, text)
  SELECT id, char(1, 128 + (user_id >> 5) % 32, 128 + user_id % 32, 10)
    || coalesce(job_title, '') || char(10) || coalesce(job_description, '') || char(10, 10)
  FROM job_postings;
INSERT INTO job_postings_phrases (rowid, text)
  SELECT id, char(2) || 'u' || user_id || ' ' || text FROM job_postings_chunked;
INSERT INTO search_vocabulary (word)
  SELECT DISTINCT lower(chunk.value)
  FROM job_postings_chunked AS posting,
    json_each('[' || replace(json_quote(posting.text), ' ', '","') || ']') AS chunk
  WHERE length(chunk.value) >= 4;
INSERT INTO job_postings_trigram (job_postings_trigram) VALUES ('optimize');
INSERT INTO job_postings_phrases (job_postings_phrases) VALUES ('optimize');
INSERT INTO search_vocabulary_trigram (search_vocabulary_trigram) VALUES ('optimize');
