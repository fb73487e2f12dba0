import Database from 'better-sqlite3';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { DjsError } from '../core/errors.js';
import { boardKeyFromUrl, companyKey, matchKey } from '../core/job-identity.js';
import { foldCase } from '../core/fold-case.js';
import { punctuationPieces } from '../core/search-text.js';
import {
  checkPrivateFile,
  ensurePrivateDir,
  PRIVATE_FILE_MODE,
  sleepSync,
  type Warn,
} from '../core/files.js';
import { packagePath } from '../core/package-root.js';
import type { Db } from './fts5.js';
import { createEveryWordIndex } from './word-index.js';
import { splitVocabularyByUser } from './search-vocabulary.js';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

export type { Db } from './fts5.js';

/**
 * The page size of new databases (SQLite's default is 4 KB): a posting row of about 2.3 KB fits once in a
 * 4 KB page and leaves the rest empty, so 16 KB pages make the posting rows about a third smaller and reading
 * them faster. `djs doctor --fix` moves an older database to it.
 */
export const PAGE_SIZE = 16384;
/** How long a connection waits for another's lock before SQLITE_BUSY (busy_timeout). */
const BUSY_TIMEOUT_MS = 5000;
/** Between two tries of switching a new database to WAL (switchToWal). */
const WAL_SWITCH_RETRY_MS = 10;
/** How much of the database file SQLite may map into memory for reading (it caps this at 2 GB). */
const MMAP_SIZE = 2 ** 31;

/**
 * The compiled addon, loaded by its path where better-sqlite3's install puts it and handed to each
 * connection: left to find it, better-sqlite3 asks the `bindings` package, whose search through a dozen
 * candidate folders cost every start a few milliseconds (SPEC §12). Loaded on first use.
 */
let nativeAddon: object | undefined;

function betterSqlite3Addon(): object {
  nativeAddon ??= loadBetterSqlite3Addon();
  return nativeAddon;
}

const ADDON = 'better-sqlite3/build/Release/better_sqlite3.node';

/**
 * Straight from djs's own node_modules when npm put better-sqlite3 there (process.dlopen, as require()
 * would, without resolving the name through every node_modules folder above: ~1 ms of each start); else
 * wherever require() finds it (a dependency hoisted above djs).
 */
function loadBetterSqlite3Addon(): object {
  const own = packagePath('node_modules', ADDON);
  if (!existsSync(own)) return createRequire(import.meta.url)(ADDON) as object;
  const addon = { exports: {} };
  process.dlopen(addon, own);
  return addon.exports;
}

export const MIGRATIONS_DIR = packagePath('migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Said before a migration that takes long on a large table: `-- slow: TABLE > ROWS: TEXT` in its file. */
  slow?: { table: string; rows: number; note: string };
}

const MIGRATION_FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/;
const SLOW_NOTE = /^-- slow: ([a-z_]+) > (\d+): (.+)$/m;

/**
 * What a migration does beyond its SQL file, run right after it in the same transaction: schema that
 * depends on the data (one table per user), which SQL alone cannot create.
 */
const MIGRATION_STEPS: Partial<Record<number, (db: Db) => void>> = {
  11: (db) => {
    createEveryWordIndex(db);
    splitVocabularyByUser(db);
  },
};

/** Where migrations tell a person what takes long (the CLI's stderr). */
export type Notify = (text: string) => void;

/**
 * The migrations in `dir`, by version. A file's SQL is read when first asked for: every open needs only the
 * latest version (its file name), and reading all the SQL cost every command start time (SPEC §12).
 */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .flatMap((file) => {
      const match = MIGRATION_FILE.exec(file);
      if (!match) return [];
      let text: string | undefined;
      const sql = (): string => (text ??= readFileSync(`${dir}/${file}`, 'utf8'));
      const migration: Migration = {
        version: Number(match[1]),
        name: match[2]!,
        get sql() {
          return sql();
        },
        get slow() {
          const slow = SLOW_NOTE.exec(sql());
          return slow ? { table: slow[1]!, rows: Number(slow[2]), note: slow[3]! } : undefined;
        },
      };
      return [migration];
    })
    .sort((a, b) => a.version - b.version);
}

/**
 * Applies the migrations the database lacks, each in its own write transaction together with its record,
 * so a crash leaves the database at a clean migration level. The level is read inside that same
 * `BEGIN IMMEDIATE` transaction: two djs processes starting together on a fresh DJS_HOME (cron and a
 * person) take turns, and the second finds the work done instead of creating the tables again. An
 * up-to-date database is only read, never locked for writing, so read-only commands work on a read-only
 * database. A database written by a newer djs is refused rather than guessed at. A migration that rewrites a
 * large table says so through `notify` first, and how long it took after.
 */
export function migrate(
  db: Db,
  migrations: Migration[],
  now: () => Date = () => new Date(),
  notify: Notify = () => {},
): number {
  const latest = migrations.at(-1)?.version ?? 0;
  if (schemaVersionIfRecorded(db) === latest) return 0;
  const applyNext = db.transaction((): boolean => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
    const current = currentSchemaVersion(db);
    if (current > latest) throw newerSchema(current, latest);
    const next = migrations.find((migration) => migration.version > current);
    if (!next) return false;
    const started = Date.now();
    const slow = next.slow !== undefined && isLarger(db, next.slow.table, next.slow.rows);
    if (slow) notify(next.slow!.note);
    db.exec(next.sql);
    MIGRATION_STEPS[next.version]?.(db);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      next.version,
      next.name,
      now().toISOString(),
    );
    if (slow) notify(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return true;
  });
  let applied = 0;
  while (applyNext.immediate()) applied++;
  return applied;
}

function isLarger(db: Db, table: string, rows: number): boolean {
  return (
    db
      .prepare(`SELECT count(*) > ? FROM (SELECT 1 FROM ${table} LIMIT ?)`)
      .pluck()
      .get(rows, rows + 1) === 1
  );
}

/** The schema level without writing anything; null before the first migration created its table. */
function schemaVersionIfRecorded(db: Db): number | null {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  return table ? currentSchemaVersion(db) : null;
}

function newerSchema(current: number, latest: number): DjsError {
  return new DjsError(
    `This database was written by a newer version of djs (schema ${current}; this djs knows up to ${latest}). ` +
      'Upgrade djs, or point DJS_HOME at another folder.',
  );
}

export function currentSchemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  return row.version ?? 0;
}

/**
 * Opens (creating if needed) the 0600 database in its 0700 folder, with the pragmas every connection needs.
 * The database and its WAL files are checked first (no planted link, this user's, tightened back to 0600
 * with a warning through `warn`), since SQLite opens them by name and would follow a link.
 */
export function openDatabase(
  path: string,
  options: { migrations?: Migration[]; now?: () => Date; warn?: Warn; notify?: Notify } = {},
): Db {
  ensurePrivateDir(dirname(path));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) checkPrivateFile(file, options.warn ?? (() => {}));
  // Create the file ourselves so it never exists with the umask's looser mode.
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  let db: Db;
  try {
    db = connect(path);
  } catch (error) {
    const snapshot = isOnReadOnlyFolder(path, error) ? readOnlySnapshot(path) : null;
    if (!snapshot) throw databaseError(path, error);
    db = snapshot;
  }
  try {
    migrate(db, options.migrations ?? loadMigrations(), options.now, options.notify);
  } catch (error) {
    db.close();
    throw error instanceof DjsError ? error : databaseError(path, error);
  }
  return db;
}

function connect(source: string | Buffer, options: Database.Options = {}): Db {
  // Typed as a path, but better-sqlite3 takes the loaded addon too (lib/database.js); a path would have
  // it call require(), which the bundle (scripts/build.mjs) does not have.
  const nativeBinding = betterSqlite3Addon() as unknown as string;
  const db = new Database(source, { ...options, nativeBinding });
  try {
    // First, so that a concurrent first run holding the lock (switching to WAL, migrating) is waited for.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Only takes effect while the file is empty (a new database), and before WAL mode fixes it.
    db.pragma(`page_size = ${PAGE_SIZE}`);
    switchToWal(db);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    // Deleted rows (a deleted account, a revoked session) are overwritten, not left in free pages.
    db.pragma('secure_delete = ON');
    // Reads through a memory map of the file (up to SQLite's 2 GB cap) instead of a read() and a 16 KB copy
    // per page: a search that looks up a few thousand postings or index pages spends most of its time
    // there otherwise (measured at 100,000 postings: 5 µs → 1 µs per row looked up). Writes are unchanged.
    db.pragma(`mmap_size = ${MMAP_SIZE}`);
    // Search's case-insensitive comparisons in SQL (core/fold-case.ts), on every connection alike.
    db.function('djs_fold', { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? foldCase(value) : value,
    );
    const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
    // The phrase index's pieces for 1–2 character punctuation keywords (migration 010's triggers).
    db.function('djs_punctuation_pieces', { deterministic: true }, (title: unknown, description: unknown) =>
      punctuationPieces(text(title), text(description)),
    );
    // The keys that tell when two listings are one job (migration 008 fills them for older postings).
    db.function('djs_company_key', { deterministic: true }, (company: unknown) => companyKey(text(company)));
    db.function(
      'djs_match_key',
      { deterministic: true },
      (company: unknown, title: unknown, location: unknown) =>
        matchKey(text(company), text(title), text(location)),
    );
    db.function('djs_board_key', { deterministic: true }, (url: unknown) => boardKeyFromUrl(text(url)));
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * WAL mode, once for a new database. Two first runs at once (cron and a person) can both find the new file
 * in rollback-journal mode: the one that cannot take the lock to switch then gets SQLITE_BUSY at once, as
 * SQLite does not wait where waiting could deadlock. It tries again until the busy timeout has passed.
 */
function switchToWal(db: Db): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      sleepSync(WAL_SWITCH_RETRY_MS);
    }
  }
}

/** SQLite could not open the database because it cannot create the WAL index (-shm) beside it. */
function isOnReadOnlyFolder(path: string, error: unknown): boolean {
  if ((error as { code?: string }).code !== 'SQLITE_CANTOPEN') return false;
  try {
    accessSync(dirname(path), constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

/**
 * The database of a read-only folder (a read-only mount, a backup), opened as a read-only copy in memory,
 * so commands that only read still work; any write fails as SQLITE_READONLY. Null when a WAL file holds
 * changes not yet in the database: the copy would miss them.
 */
function readOnlySnapshot(path: string): Db | null {
  if ((statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) return null;
  const image = readFileSync(path);
  // Bytes 18 and 19 of the header mark a WAL database, which SQLite cannot open in memory: mark it as a
  // rollback-journal one instead. The file itself is not touched.
  image[18] = 1;
  image[19] = 1;
  return connect(image, { readonly: true });
}

function databaseError(path: string, error: unknown): DjsError {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new DjsError(
      `The database ${path} is damaged or is not a djs database. Move it aside and run djs again, or run \`djs doctor\`.`,
      undefined,
      { cause: error },
    );
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EROFS') {
    return new DjsError(
      `Cannot write the database ${path}: check that its folder is writable (DJS_HOME).`,
      undefined,
      {
        cause: error,
      },
    );
  }
  return new DjsError(`Cannot open the database ${path}: ${(error as Error).message}`, undefined, {
    cause: error,
  });
}

export function databaseId(db: Db): string {
  return (db.prepare("SELECT value FROM meta WHERE key = 'database_id'").get() as { value: string }).value;
}
