-- Sources beyond LinkedIn (issue 12): company boards and open feeds, one job however many places list it,
-- pay as numbers, open or closed, blocked companies. Every existing posting and its status is kept; a
-- LinkedIn posting keeps its 10-digit id.
--
-- A job is one job_postings row (status, notes, the Sheet row and the search hit belong to it); every
-- place that lists it is a posting_links row. job_postings.source / job_id name the listing the job was
-- first stored from; the djs_* functions are registered by the database on every connection
-- (src/core/job-identity.ts), so this file fills the keys exactly as the code computes them.

ALTER TABLE job_postings ADD COLUMN salary_min REAL;
ALTER TABLE job_postings ADD COLUMN salary_max REAL;
ALTER TABLE job_postings ADD COLUMN salary_currency TEXT;
ALTER TABLE job_postings ADD COLUMN salary_period TEXT CHECK (salary_period IN ('year', 'month', 'hour'));
ALTER TABLE job_postings ADD COLUMN workplace_type TEXT CHECK (workplace_type IN ('remote', 'hybrid', 'onsite'));
-- When the job stopped being open: gone from its board, or LinkedIn says it no longer takes applications.
ALTER TABLE job_postings ADD COLUMN closed_at TEXT;
-- core/job-identity.ts companyKey(job_company): the blocklist's and the cross-source match's company.
ALTER TABLE job_postings ADD COLUMN company_key TEXT;
-- matchKey(company, title, location): the same key on two sources within 30 days is one job.
ALTER TABLE job_postings ADD COLUMN match_key TEXT;
-- boardKeyFromUrl(apply_url): the Greenhouse/Lever/Ashby job a LinkedIn posting's apply link points at.
ALTER TABLE job_postings ADD COLUMN apply_key TEXT;

UPDATE job_postings SET
  company_key = djs_company_key(job_company),
  match_key = djs_match_key(job_company, job_title, job_location),
  apply_key = djs_board_key(apply_url);

CREATE INDEX idx_job_postings_match ON job_postings(user_id, match_key) WHERE match_key IS NOT NULL;
CREATE INDEX idx_job_postings_apply ON job_postings(user_id, apply_key) WHERE apply_key IS NOT NULL;
CREATE INDEX idx_job_postings_company ON job_postings(user_id, company_key);

-- Every place a job is listed. source_job_id is the listing's printable id, unique per user across
-- sources: LinkedIn's number ("4405055459") or "<kind>:<id>" ("greenhouse:8026689", "lever:<uuid>",
-- "remotive:1234"). `djs jobs show` and `set-status` accept any of a job's ids.
CREATE TABLE posting_links (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  posting_id    INTEGER NOT NULL REFERENCES job_postings(id) ON DELETE CASCADE,
  source        TEXT NOT NULL,
  source_job_id TEXT NOT NULL,
  -- The board, site, company or account of a watched board (user_sources.name); NULL for LinkedIn and feeds.
  board         TEXT,
  url           TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  last_seen_at  TEXT NOT NULL,
  -- Set when the listing disappeared from its board (or LinkedIn closed it); cleared if it comes back.
  closed_at     TEXT,
  UNIQUE (user_id, source_job_id)
) STRICT;
CREATE INDEX idx_posting_links_posting ON posting_links(posting_id);
-- A watched board's open listings: what a complete listing of the board is compared with to close jobs.
CREATE INDEX idx_posting_links_board ON posting_links(user_id, source, board) WHERE closed_at IS NULL;

INSERT INTO posting_links (user_id, posting_id, source, source_job_id, board, url, first_seen_at, last_seen_at)
  SELECT user_id, id, source, job_id, NULL, link, added_at, fetched_at FROM job_postings;

-- `djs sources add`: the boards and feeds a person watches. name is the board/site/company/account, ''
-- for a feed. etag / last_modified: the validators of the last answer read in full, sent back as
-- If-None-Match / If-Modified-Since so that an unchanged board costs one request and writes nothing.
CREATE TABLE user_sources (
  id              INTEGER PRIMARY KEY,
  user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind            TEXT NOT NULL,
  name            TEXT NOT NULL DEFAULT '',
  -- The base URL that serves the board when the kind has more than one (a Lever site on the EU host).
  base_url        TEXT,
  created_at      TEXT NOT NULL,
  etag            TEXT,
  last_modified   TEXT,
  last_checked_at TEXT,
  last_error      TEXT,
  UNIQUE (user_id, kind, name)
) STRICT;

-- Open feeds whose terms ask for few calls (Remotive: a few a day): the last answer, shared by every
-- account on the machine (it is public and holds nothing of the person), reused until it is old enough.
CREATE TABLE feed_cache (
  url           TEXT PRIMARY KEY,
  fetched_at    TEXT NOT NULL,
  etag          TEXT,
  last_modified TEXT,
  body          BLOB NOT NULL
) STRICT;

-- `djs blocklist`: companies whose postings are neither fetched in detail nor shown. company_key is
-- core/job-identity.ts companyKey(company); company is the name as the person typed it.
CREATE TABLE blocked_companies (
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  company_key TEXT NOT NULL,
  company     TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (user_id, company_key)
) STRICT, WITHOUT ROWID;

-- What an update-db run did with the boards and feeds.
ALTER TABLE update_runs ADD COLUMN sources INTEGER NOT NULL DEFAULT 0;
ALTER TABLE update_runs ADD COLUMN postings_closed INTEGER NOT NULL DEFAULT 0;

-- What search leaves out or keeps without reading the wide posting rows: the closed jobs (left out unless
-- --include-closed), and the pay numbers --min-salary compares.
CREATE INDEX idx_job_postings_closed ON job_postings(user_id) WHERE closed_at IS NOT NULL;
CREATE INDEX idx_job_postings_pay ON job_postings(user_id, salary_currency, salary_period, salary_max, salary_min)
  WHERE coalesce(salary_max, salary_min) IS NOT NULL;
