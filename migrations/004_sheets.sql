-- The Google Sheets mirror (SPEC §9): where each linked spreadsheet's two tabs are, and what the sync knows
-- is in them. user_spreadsheets (migration 001, the seed's table) keeps the spreadsheet and its "Job Postings"
-- tab in spreadsheet_id / sheet_id / sheet_name; the rest lives here.

CREATE TABLE sheet_sync_state (
  spreadsheet_row_id INTEGER PRIMARY KEY REFERENCES user_spreadsheets(id) ON DELETE CASCADE,
  user_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  results_tab_id     INTEGER NOT NULL,
  results_tab        TEXT NOT NULL,
  -- JSON arrays: the header row of each tab as last seen (column order), so columns are found by name.
  postings_columns   TEXT NOT NULL,
  results_columns    TEXT NOT NULL,
  -- Set by `sheets link` (the sheet may already hold rows): the next sync compares every row.
  needs_full         INTEGER NOT NULL DEFAULT 0 CHECK (needs_full IN (0, 1)),
  -- When a sync last read the sheet: a status edited there is newer than any local change made before it.
  last_read_at       TEXT,
  last_synced_at     TEXT
) STRICT;
CREATE INDEX idx_sheet_sync_state_user ON sheet_sync_state(user_id);

-- One row per posting sent to a spreadsheet. state 'pending' is the intent written *before* the append that
-- carries it; 'synced' means Google confirmed the append, or a read of the sheet found the posting's id.
-- status/notes are the values the sheet is known to hold (the base that tells which side changed).
CREATE TABLE sheet_posting_rows (
  spreadsheet_row_id INTEGER NOT NULL REFERENCES user_spreadsheets(id) ON DELETE CASCADE,
  posting_id         INTEGER NOT NULL REFERENCES job_postings(id) ON DELETE CASCADE,
  state              TEXT NOT NULL CHECK (state IN ('pending', 'synced')),
  status             TEXT,
  notes              TEXT,
  updated_at         TEXT NOT NULL,
  PRIMARY KEY (spreadsheet_row_id, posting_id)
) STRICT, WITHOUT ROWID;

-- The same for "Job Search Results" rows.
CREATE TABLE sheet_result_rows (
  spreadsheet_row_id INTEGER NOT NULL REFERENCES user_spreadsheets(id) ON DELETE CASCADE,
  result_id          INTEGER NOT NULL REFERENCES job_search_results(id) ON DELETE CASCADE,
  state              TEXT NOT NULL CHECK (state IN ('pending', 'synced')),
  updated_at         TEXT NOT NULL,
  PRIMARY KEY (spreadsheet_row_id, result_id)
) STRICT, WITHOUT ROWID;
