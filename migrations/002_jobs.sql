-- Collected postings (SPEC §7). Every row carries its user id; every query filters by it.

CREATE TABLE saved_searches (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  query      TEXT NOT NULL,
  location   TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (user_id, query, location)
) STRICT;

-- The seed's "Job Search Results" sheet: every job link a search returned.
CREATE TABLE job_search_results (
  id       INTEGER PRIMARY KEY,
  user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  source   TEXT NOT NULL DEFAULT 'linkedin',
  job_id   TEXT NOT NULL,
  link     TEXT NOT NULL,
  query    TEXT NOT NULL,
  location TEXT NOT NULL,
  added_at TEXT NOT NULL,
  UNIQUE (user_id, source, job_id, query, location)
) STRICT;
CREATE INDEX idx_job_search_results_user_job ON job_search_results(user_id, source, job_id);

-- The seed's "Job Postings" sheet columns, plus what djs needs to track and sync them.
CREATE TABLE job_postings (
  id                  INTEGER PRIMARY KEY,
  user_id             INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  source              TEXT NOT NULL DEFAULT 'linkedin',
  job_id              TEXT NOT NULL,
  link                TEXT NOT NULL,
  job_title           TEXT,
  job_company         TEXT,
  job_location        TEXT,
  job_date            TEXT,
  job_applicants      TEXT,
  job_salary          TEXT,
  job_description     TEXT,
  job_seniority       TEXT,
  job_employment_type TEXT,
  job_function        TEXT,
  job_industries      TEXT,
  added_at            TEXT NOT NULL,
  company_url         TEXT,
  apply_url           TEXT,
  posted_date         TEXT,    -- ISO date
  applicants          INTEGER,
  status              TEXT NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'saved', 'applied', 'interviewing', 'offer', 'rejected', 'archived')),
  notes               TEXT,
  status_changed_at   TEXT,
  fetched_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  UNIQUE (user_id, source, job_id)
) STRICT;
CREATE INDEX idx_job_postings_user_posted ON job_postings(user_id, posted_date);

CREATE TABLE update_runs (
  id                  INTEGER PRIMARY KEY,
  user_id             INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  started_at          TEXT NOT NULL,
  finished_at         TEXT,
  searches            INTEGER NOT NULL DEFAULT 0,
  links_found         INTEGER NOT NULL DEFAULT 0,
  new_links           INTEGER NOT NULL DEFAULT 0,
  postings_fetched    INTEGER NOT NULL DEFAULT 0,
  failed              INTEGER NOT NULL DEFAULT 0,
  blocked             INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
  sheet_rows_appended INTEGER NOT NULL DEFAULT 0,
  outcome             TEXT CHECK (outcome IN ('ok', 'partial', 'failed', 'interrupted')),
  error               TEXT
) STRICT;
CREATE INDEX idx_update_runs_user_started ON update_runs(user_id, started_at);

-- Named process locks (one update-db per database). A lock whose holder is gone is taken over.
CREATE TABLE process_locks (
  name        TEXT PRIMARY KEY,
  pid         INTEGER NOT NULL,
  hostname    TEXT NOT NULL,
  acquired_at TEXT NOT NULL
) STRICT;
