import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { DjsError, ExitCode } from '../../src/core/errors.js';
import {
  currentSchemaVersion,
  databaseId,
  loadMigrations,
  migrate,
  openDatabase,
  type Migration,
} from '../../src/db/database.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'djs-migrations-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const tables = (db: Database.Database): string[] =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((row) => row.name);

const recorded = (db: Database.Database): { version: number; name: string; applied_at: string }[] =>
  db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as never;

function writeMigrations(files: Record<string, string>): string {
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations, { recursive: true });
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(migrations, name), sql);
  return migrations;
}

function caught(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('the shipped migrations', () => {
  it('create the foundation tables, are recorded in order, and set the pragmas', () => {
    const db = openDatabase(join(dir, 'djs.db'), { now: () => new Date('2030-01-01T00:00:00Z') });
    try {
      const shipped = loadMigrations();
      expect(shipped[0]).toMatchObject({ version: 1, name: 'accounts' });
      expect(recorded(db).map((row) => row.version)).toEqual(shipped.map((m) => m.version));
      expect(recorded(db)[0]).toEqual({
        version: 1,
        name: 'accounts',
        applied_at: '2030-01-01T00:00:00.000Z',
      });
      expect(currentSchemaVersion(db)).toBe(shipped.at(-1)!.version);
      expect(tables(db)).toEqual(
        expect.arrayContaining([
          'users',
          'user_google_credentials',
          'user_spreadsheets',
          'user_search_history',
          'sessions',
          'login_attempts',
          'meta',
          'schema_migrations',
        ]),
      );
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as {
        name: string;
      }[];
      expect(indexes.map((i) => i.name)).toEqual(
        expect.arrayContaining(['idx_users_email', 'idx_spreadsheets_user_id', 'idx_search_history_user_id']),
      );
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
      expect(databaseId(db)).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      db.close();
    }
  });

  it('reopening applies nothing again and keeps the database id', () => {
    const path = join(dir, 'djs.db');
    const first = openDatabase(path);
    const before = recorded(first);
    const id = databaseId(first);
    first.close();
    const second = openDatabase(path, { now: () => new Date('2040-01-01T00:00:00Z') });
    try {
      expect(recorded(second)).toEqual(before);
      expect(migrate(second, loadMigrations())).toBe(0);
      expect(databaseId(second)).toBe(id);
    } finally {
      second.close();
    }
  });

  it('two databases get different ids', () => {
    const a = openDatabase(join(dir, 'a', 'djs.db'));
    const b = openDatabase(join(dir, 'b', 'djs.db'));
    try {
      expect(databaseId(a)).not.toBe(databaseId(b));
    } finally {
      a.close();
      b.close();
    }
  });

  it('creates the file 0600 in a 0700 folder, and tightens an existing loose folder', () => {
    const fresh = join(dir, 'new', 'home');
    openDatabase(join(fresh, 'djs.db')).close();
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    expect(statSync(join(fresh, 'djs.db')).mode & 0o777).toBe(0o600);

    const loose = join(dir, 'loose');
    mkdirSync(loose, { mode: 0o755 });
    chmodSync(loose, 0o755);
    openDatabase(join(loose, 'djs.db')).close();
    expect(statSync(loose).mode & 0o777).toBe(0o700);
  });

  it('deleting a user cascades (foreign keys are on)', () => {
    const db = openDatabase(join(dir, 'djs.db'));
    try {
      db.prepare(
        "INSERT INTO users (id, email, password_hash, created_at, updated_at) VALUES (1, 'a@b.co', 'h', 'now', 'now')",
      ).run();
      db.prepare(
        "INSERT INTO sessions (id, user_id, refresh_token_hash, created_at, expires_at) VALUES ('s', 1, 'x', 'now', 'later')",
      ).run();
      db.prepare('DELETE FROM users WHERE id = 1').run();
      expect(db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 0 });
      expect(() =>
        db
          .prepare(
            "INSERT INTO sessions (id, user_id, refresh_token_hash, created_at, expires_at) VALUES ('t', 99, 'y', 'now', 'later')",
          )
          .run(),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
    }
  });

  it("every connection it opens has search's djs_fold, before any search runs", () => {
    const db = openDatabase(join(dir, 'djs.db'));
    try {
      const fold = db.prepare('SELECT djs_fold(?) AS folded').pluck();
      expect(fold.get('KRAKÓW Zürich')).toBe('kraków zürich');
      expect(fold.get(42)).toBe(42);
    } finally {
      db.close();
    }
  });

  it('008 keeps every posting with its status, lists each where it was found, and fills the match keys', () => {
    const path = join(dir, 'djs.db');
    const upTo007 = loadMigrations().filter((migration) => migration.version <= 7);
    const old = openDatabase(path, { migrations: upTo007 });
    old.exec(`INSERT INTO users (id, email, password_hash, created_at, updated_at)
                VALUES (1, 'a@example.com', 'x', 't', 't')`);
    const insert = old.prepare(
      `INSERT INTO job_postings (user_id, job_id, link, job_title, job_company, job_location, apply_url,
         status, notes, added_at, fetched_at, updated_at)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', 't')`,
    );
    insert.run(
      '4405055459',
      'https://www.linkedin.com/jobs/view/4405055459/',
      'Senior Engineer',
      'Stripe, Inc.',
      'Remote - US',
      'https://boards.greenhouse.io/stripe/jobs/8026689?gh_src=li',
      'applied',
      'called',
    );
    insert.run(
      '4197948497',
      'https://www.linkedin.com/jobs/view/4197948497/',
      'Gerente de Projetos',
      'NEORIS',
      'São Paulo, Brazil',
      null,
      'new',
      null,
    );
    old.close();

    const db = openDatabase(path);
    try {
      const rows = db
        .prepare(
          `SELECT job_id, status, notes, company_key, match_key, apply_key, closed_at
                  FROM job_postings ORDER BY id`,
        )
        .all();
      expect(rows).toEqual([
        {
          job_id: '4405055459',
          status: 'applied',
          notes: 'called',
          company_key: 'stripe',
          match_key: 'stripe|senior engineer|remote',
          apply_key: 'greenhouse:8026689',
          closed_at: null,
        },
        {
          job_id: '4197948497',
          status: 'new',
          notes: null,
          company_key: 'neoris',
          match_key: 'neoris|gerente de projetos|sao paulo brazil',
          apply_key: null,
          closed_at: null,
        },
      ]);
      expect(
        db
          .prepare(
            'SELECT source, source_job_id, url, first_seen_at, last_seen_at FROM posting_links ORDER BY id',
          )
          .all(),
      ).toEqual([
        {
          source: 'linkedin',
          source_job_id: '4405055459',
          url: 'https://www.linkedin.com/jobs/view/4405055459/',
          first_seen_at: '2026-11-01T00:00:00Z',
          last_seen_at: '2026-11-02T00:00:00Z',
        },
        {
          source: 'linkedin',
          source_job_id: '4197948497',
          url: 'https://www.linkedin.com/jobs/view/4197948497/',
          first_seen_at: '2026-11-01T00:00:00Z',
          last_seen_at: '2026-11-02T00:00:00Z',
        },
      ]);
    } finally {
      db.close();
    }
  });

  it('new databases use 16 KB pages; an existing 4 KB database is left as it is (issue 14)', () => {
    const fresh = openDatabase(join(dir, 'new', 'djs.db'));
    expect(fresh.pragma('page_size', { simple: true })).toBe(16384);
    fresh.close();
    const oldPath = join(dir, 'old', 'djs.db');
    mkdirSync(join(dir, 'old'), { mode: 0o700 });
    const raw = new Database(oldPath);
    raw.pragma('page_size = 4096');
    raw.exec('CREATE TABLE kept (a INTEGER)');
    raw.close();
    chmodSync(oldPath, 0o600);
    const old = openDatabase(oldPath);
    try {
      expect(old.pragma('page_size', { simple: true })).toBe(4096);
    } finally {
      old.close();
    }
  });

  it('migration 009 says first, above 10,000 postings, that it rebuilds the search index', () => {
    const shipped = loadMigrations().find((m) => m.version === 9)!;
    expect(shipped.slow).toMatchObject({ table: 'job_postings', rows: 10_000 });
    expect(shipped.slow!.note).toMatch(/^Rebuilding the search index .*minutes per 100,000 postings/);
  });

  it('a damaged database file gives a clear DjsError', () => {
    const path = join(dir, 'djs.db');
    writeFileSync(
      path,
      'this is not an SQLite database, just some text that is long enough to matter '.repeat(20),
    );
    const error = caught(() => openDatabase(path));
    expect(error).toBeInstanceOf(DjsError);
    expect((error as Error).message).toMatch(/damaged or is not a djs database/);
  });
});

describe('the migrations runner', () => {
  it('loads NNN_name.sql files in numeric order and ignores anything else', () => {
    const folder = writeMigrations({
      '010_ten.sql': 'SELECT 10;',
      '002_two.sql': 'SELECT 2;',
      '001_one.sql': 'SELECT 1;',
      'README.md': 'not a migration',
      '3_bad_name.sql': 'SELECT 3;',
      '004_Bad-Name.sql': 'SELECT 4;',
    });
    expect(loadMigrations(folder).map((m) => [m.version, m.name])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [10, 'ten'],
    ]);
  });

  it("opens an up-to-date database without reading any migration's SQL (the file names tell the level)", () => {
    const folder = writeMigrations({
      '001_create.sql': 'CREATE TABLE t (a INTEGER);',
      '002_fill.sql': 'INSERT INTO t VALUES (1);',
    });
    const path = join(dir, 'djs.db');
    openDatabase(path, { migrations: loadMigrations(folder) }).close();
    // Unreadable now: read again, it would fail the open.
    for (const file of ['001_create.sql', '002_fill.sql']) {
      rmSync(join(folder, file));
      symlinkSync(join(dir, 'gone'), join(folder, file));
    }
    const db = openDatabase(path, { migrations: loadMigrations(folder) });
    expect(db.prepare('SELECT a FROM t').pluck().all()).toEqual([1]);
    db.close();
  });

  it('applies migrations in order, each once, and only the new ones later', () => {
    const path = join(dir, 'djs.db');
    const v1: Migration[] = [
      { version: 1, name: 'create', sql: 'CREATE TABLE t (a INTEGER);' },
      // depends on 1: fails if run first
      {
        version: 2,
        name: 'alter',
        sql: "ALTER TABLE t ADD COLUMN b TEXT; INSERT INTO t (a, b) VALUES (1, 'x');",
      },
    ];
    openDatabase(path, { migrations: v1 }).close();
    const v2 = [...v1, { version: 3, name: 'more', sql: "INSERT INTO t (a, b) VALUES (2, 'y');" }];
    const db = openDatabase(path, { migrations: v2 });
    try {
      expect(recorded(db).map((row) => [row.version, row.name])).toEqual([
        [1, 'create'],
        [2, 'alter'],
        [3, 'more'],
      ]);
      // migration 2 ran exactly once, 3 once
      expect(db.prepare('SELECT a, b FROM t ORDER BY a').all()).toEqual([
        { a: 1, b: 'x' },
        { a: 2, b: 'y' },
      ]);
      expect(migrate(db, v2)).toBe(0);
    } finally {
      db.close();
    }
  });

  it('says before a migration of a large table what it does, and after it how long it took', () => {
    const folder = writeMigrations({
      '001_create.sql': 'CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2), (3);',
      '002_rewrite.sql': '-- slow: t > 2: Rewriting t.\nCREATE TABLE u AS SELECT * FROM t;',
      '003_again.sql': '-- slow: t > 3: Rewriting t again.\nCREATE TABLE v AS SELECT * FROM t;',
    });
    const notes: string[] = [];
    openDatabase(join(dir, 'djs.db'), {
      migrations: loadMigrations(folder),
      notify: (text) => notes.push(text),
    }).close();
    // 3 rows: above 2 for 002, not above 3 for 003, which says nothing.
    expect(notes).toHaveLength(2);
    expect(notes[0]).toBe('Rewriting t.');
    expect(notes[1]).toMatch(/^Done in \d+\.\d s\.$/);
  });

  it('refuses a database written by a newer djs, without touching it', () => {
    const path = join(dir, 'djs.db');
    openDatabase(path).close();
    const raw = new Database(path);
    raw
      .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')")
      .run();
    const tablesBefore = tables(raw);
    raw.close();

    const error = caught(() => openDatabase(path));
    expect(error).toBeInstanceOf(DjsError);
    expect((error as DjsError).exitCode).toBe(ExitCode.failure);
    expect((error as Error).message).toMatch(/newer version of djs/);
    expect((error as Error).message).toContain('999');

    const after = new Database(path, { readonly: true });
    try {
      expect(tables(after)).toEqual(tablesBefore);
      expect(currentSchemaVersion(after)).toBe(999);
    } finally {
      after.close();
    }
  });

  it('a failing migration leaves no partial schema and is not recorded; fixing it lets it apply', () => {
    const path = join(dir, 'djs.db');
    const good: Migration = { version: 1, name: 'base', sql: 'CREATE TABLE base (id INTEGER PRIMARY KEY);' };
    const broken: Migration = {
      version: 2,
      name: 'broken',
      sql: `CREATE TABLE half (id INTEGER);
            CREATE INDEX idx_half ON half(id);
            INSERT INTO base (id) VALUES (1);
            INSERT INTO no_such_table VALUES (1);`,
    };
    const error = caught(() => openDatabase(path, { migrations: [good, broken] }));
    expect(error).toBeInstanceOf(DjsError);
    expect((error as Error).message).toMatch(/no_such_table/);

    const raw = new Database(path, { readonly: true });
    try {
      expect(tables(raw)).not.toContain('half');
      expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'idx_half'").all()).toEqual([]);
      expect(raw.prepare('SELECT COUNT(*) AS n FROM base').get()).toEqual({ n: 0 });
      expect(currentSchemaVersion(raw)).toBe(1);
    } finally {
      raw.close();
    }

    const fixed: Migration = {
      ...broken,
      sql: 'CREATE TABLE half (id INTEGER); INSERT INTO base (id) VALUES (1);',
    };
    const db = openDatabase(path, { migrations: [good, fixed] });
    try {
      expect(currentSchemaVersion(db)).toBe(2);
      expect(tables(db)).toContain('half');
    } finally {
      db.close();
    }
  });
});

describe('first runs at once', () => {
  // Both processes find the new file in rollback-journal mode; the one that cannot take the lock to switch
  // it to WAL gets SQLITE_BUSY at once from SQLite, whatever the busy timeout: it must try again, not fail.
  it('two processes opening the same new database together both open it, in WAL mode, fully migrated', async () => {
    const open = `import(${JSON.stringify(join(REPO_ROOT, 'dist', 'db', 'database.js'))}).then(({ openDatabase }) => openDatabase(process.argv[1]).close())`;
    const opened = (path: string): Promise<{ code: number | null; stderr: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, ['-e', open, path], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    for (let round = 0; round < 50; round++) {
      const path = join(dir, `first-${round}.db`);
      for (const result of await Promise.all([opened(path), opened(path)])) {
        expect(result.code, result.stderr).toBe(0);
      }
      const db = new Database(path, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(
        loadMigrations().at(-1)!.version,
      );
      db.close();
    }
  }, 60_000);
});
