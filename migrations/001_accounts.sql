-- Accounts, sessions and the Google link metadata: the seed's tables, adapted to SQLite.
-- Timestamps are ISO-8601 UTC strings written by the application (its clock is injectable).

-- A random id made with the database: it namespaces every SecretStore entry, so two DJS_HOMEs that
-- share one OS keychain never see each other's secrets.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
INSERT INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))));

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  first_name    TEXT,
  last_name     TEXT,
  is_active     INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX idx_users_email ON users(email);

-- Metadata only: the refresh token lives in the SecretStore, never here.
CREATE TABLE user_google_credentials (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
  google_email TEXT,
  scopes       TEXT NOT NULL,
  token_expiry TEXT,
  linked_at    TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX idx_google_creds_user_id ON user_google_credentials(user_id);

CREATE TABLE user_spreadsheets (
  id               INTEGER PRIMARY KEY,
  user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  spreadsheet_id   TEXT NOT NULL,
  sheet_id         TEXT NOT NULL,
  spreadsheet_name TEXT,
  sheet_name       TEXT,
  is_active        INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (user_id, spreadsheet_id)
) STRICT;
CREATE INDEX idx_spreadsheets_user_id ON user_spreadsheets(user_id);

CREATE TABLE user_search_history (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  keywords    TEXT NOT NULL, -- JSON array of the keywords as typed
  location    TEXT,
  search_date TEXT NOT NULL
) STRICT;
CREATE INDEX idx_search_history_user_id ON user_search_history(user_id);

-- One row per login. The refresh token is stored as a SHA-256 hash; the JWT access token carries
-- the session id, so revoking the row invalidates copies of the session file at once.
CREATE TABLE sessions (
  id                 TEXT PRIMARY KEY,
  user_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  refresh_token_hash TEXT NOT NULL UNIQUE,
  created_at         TEXT NOT NULL,
  refreshed_at       TEXT,
  expires_at         TEXT NOT NULL,
  revoked_at         TEXT,
  revoke_reason      TEXT
) STRICT;
CREATE INDEX idx_sessions_user_id ON sessions(user_id);

-- Refresh tokens already rotated away: presenting one again is reuse and revokes the session.
CREATE TABLE session_retired_tokens (
  token_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  retired_at TEXT NOT NULL
) STRICT;

-- Kept by email, not user id: unknown emails are throttled the same way as known ones.
CREATE TABLE login_attempts (
  id           INTEGER PRIMARY KEY,
  email        TEXT NOT NULL,
  attempted_at TEXT NOT NULL,
  succeeded    INTEGER NOT NULL CHECK (succeeded IN (0, 1))
) STRICT;
CREATE INDEX idx_login_attempts_email_time ON login_attempts(email, attempted_at);

CREATE TABLE login_lockouts (
  email        TEXT PRIMARY KEY,
  locked_until TEXT NOT NULL
) STRICT;
