-- A posting djs could not fetch or read, counted once per run that tried it. After a few runs in a row
-- it is failed for good (gave_up_at): later runs skip it, so one bad posting does not make every cron
-- run "partly failed"; `djs update-db --retry-failed` tries those again. A success deletes the row.
CREATE TABLE posting_failures (
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  source       TEXT NOT NULL DEFAULT 'linkedin',
  job_id       TEXT NOT NULL,
  attempts     INTEGER NOT NULL CHECK (attempts >= 1),
  last_error   TEXT NOT NULL,
  first_failed_at TEXT NOT NULL,
  last_failed_at  TEXT NOT NULL,
  gave_up_at   TEXT,
  PRIMARY KEY (user_id, source, job_id)
) STRICT;
