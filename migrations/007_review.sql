-- The morning review (issue 13): which postings the person has already looked at, and the keywords that
-- rank what is new for them.

-- Set when a posting's card is first shown by `djs review`. A posting is "new" while its status is 'new'
-- and it has never been shown. Postings stored before this migration count as not yet seen.
ALTER TABLE job_postings ADD COLUMN seen_at TEXT;
-- The new postings of a user, read without touching the wide posting rows (counted on every `djs status`
-- and at every return to the home).
CREATE INDEX idx_job_postings_unseen ON job_postings(user_id, status) WHERE seen_at IS NULL;

-- `djs profile keywords`: the person's own keywords, in the order given.
CREATE TABLE user_keywords (
  user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  keyword  TEXT NOT NULL,
  PRIMARY KEY (user_id, position)
) STRICT, WITHOUT ROWID;
