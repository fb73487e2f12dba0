-- Search and application tracking (SPEC §8, `djs search`, `djs jobs`).
--
-- Two FTS5 indexes over job_postings(job_title, job_description), both "external content" (they store
-- only the index; the text stays in job_postings) and kept in step by the triggers below:
--   * job_postings_trigram: every 3-character substring, case-folded, diacritics kept. A keyword of 3 or
--     more characters occurs in a posting exactly when its trigram phrase matches: the seed's
--     `keyword.lower() in text.lower()`, made indexed.
--   * job_postings_words: whole words (letters, digits, marks, and '+' '#', so "c++" and "c#" are words).
--     Keywords of 1–2 characters ("go", "c", "ai", "c#") are matched as whole words here, because as
--     substrings they would occur in nearly every posting; it also gives the bm25 relevance that breaks
--     ties between equal scores.

CREATE VIRTUAL TABLE job_postings_trigram USING fts5(
  job_title,
  job_description,
  content = 'job_postings',
  content_rowid = 'id',
  tokenize = 'trigram case_sensitive 0'
);

CREATE VIRTUAL TABLE job_postings_words USING fts5(
  job_title,
  job_description,
  content = 'job_postings',
  content_rowid = 'id',
  tokenize = "unicode61 remove_diacritics 0 tokenchars '+#' categories 'L* N* Co M*'"
);

CREATE TRIGGER job_postings_fts_insert AFTER INSERT ON job_postings BEGIN
  INSERT INTO job_postings_trigram (rowid, job_title, job_description)
    VALUES (new.id, new.job_title, new.job_description);
  INSERT INTO job_postings_words (rowid, job_title, job_description)
    VALUES (new.id, new.job_title, new.job_description);
END;

CREATE TRIGGER job_postings_fts_delete AFTER DELETE ON job_postings BEGIN
  INSERT INTO job_postings_trigram (job_postings_trigram, rowid, job_title, job_description)
    VALUES ('delete', old.id, old.job_title, old.job_description);
  INSERT INTO job_postings_words (job_postings_words, rowid, job_title, job_description)
    VALUES ('delete', old.id, old.job_title, old.job_description);
END;

-- Only when the indexed text changes: status and notes updates (`djs jobs set-status`, the Sheets pull)
-- leave the indexes alone.
CREATE TRIGGER job_postings_fts_update AFTER UPDATE OF job_title, job_description ON job_postings BEGIN
  INSERT INTO job_postings_trigram (job_postings_trigram, rowid, job_title, job_description)
    VALUES ('delete', old.id, old.job_title, old.job_description);
  INSERT INTO job_postings_words (job_postings_words, rowid, job_title, job_description)
    VALUES ('delete', old.id, old.job_title, old.job_description);
  INSERT INTO job_postings_trigram (rowid, job_title, job_description)
    VALUES (new.id, new.job_title, new.job_description);
  INSERT INTO job_postings_words (rowid, job_title, job_description)
    VALUES (new.id, new.job_title, new.job_description);
END;

-- Postings stored before this migration.
INSERT INTO job_postings_trigram (job_postings_trigram) VALUES ('rebuild');
INSERT INTO job_postings_words (job_postings_words) VALUES ('rebuild');

-- Everything `djs search` filters and sorts on, so that the user's set of postings (and the -l, --status,
-- --since filters) is read from this small index and never from the wide posting rows.
CREATE INDEX idx_job_postings_search ON job_postings(user_id, status, posted_date, added_at, job_location);

-- Every status change (`djs jobs set-status`), newest last: the application history `djs jobs show`
-- prints, and what a Sheets sync can push. job_postings keeps the current status, notes and
-- status_changed_at.
CREATE TABLE job_status_changes (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  posting_id INTEGER NOT NULL REFERENCES job_postings(id) ON DELETE CASCADE,
  old_status TEXT NOT NULL,
  new_status TEXT NOT NULL
    CHECK (new_status IN ('new', 'saved', 'applied', 'interviewing', 'offer', 'rejected', 'archived')),
  note       TEXT,
  changed_at TEXT NOT NULL
) STRICT;
CREATE INDEX idx_job_status_changes_posting ON job_status_changes(posting_id, id);
CREATE INDEX idx_job_status_changes_user ON job_status_changes(user_id, changed_at);
