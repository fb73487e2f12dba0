import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/db/database.js';
import {
  expectNoStackTrace,
  registeredHome,
  runDjs,
  STRONG_PASSWORD,
  tempHome,
  type DjsResult,
  type RunOptions,
} from '../helpers/cli.js';

/** Local state under concurrent and hostile use (issue 10): races between processes, loosened files. */

async function djs(args: string[], options: RunOptions): Promise<DjsResult> {
  const result = await runDjs(args, options);
  expectNoStackTrace(result);
  return result;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function freshHome(): string {
  const { home, cleanup } = tempHome('djs-state-');
  cleanups.push(cleanup);
  return home;
}

function withDb<T>(home: string, use: (db: Database.Database) => T): T {
  const db = new Database(join(home, 'djs.db'), { readonly: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

const register = (home: string, email: string): Promise<DjsResult> =>
  djs(['register', '--email', email, '--password-stdin'], { home, input: `${STRONG_PASSWORD}\n` });

let template: Awaited<ReturnType<typeof registeredHome>>;
beforeAll(async () => {
  template = await registeredHome();
});
afterAll(() => template?.cleanup());

describe('first run', () => {
  it('several `register` at once on a fresh DJS_HOME all migrate cleanly and all succeed', async () => {
    for (let round = 0; round < 2; round++) {
      const home = freshHome();
      // Play a first run caught in the middle of migrating: it has created the (WAL) database and the
      // migrations table and holds the write lock while the others start. They all reach the migrations
      // together, instead of one after another by the luck of start-up times.
      const holder = new Database(join(home, 'djs.db'));
      holder.pragma('journal_mode = WAL');
      holder.exec(`CREATE TABLE schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
      holder.exec('BEGIN IMMEDIATE');
      const emails = ['a', 'b', 'c', 'd'].map((name) => `${name}${round}@example.com`);
      const running = Promise.all(emails.map((email) => register(home, email)));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      holder.exec('COMMIT');
      holder.close();
      const results = await running;
      for (const result of results) expect(result.code, result.stderr).toBe(0);
      const shipped = loadMigrations().map((migration) => migration.version);
      withDb(home, (db) => {
        const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
        expect(versions.map((row) => (row as { version: number }).version)).toEqual(shipped);
        expect(db.prepare('SELECT COUNT(*) AS n FROM meta').get()).toEqual({ n: 1 });
        const users = db.prepare('SELECT email FROM users ORDER BY email').all() as { email: string }[];
        expect(users.map((user) => user.email)).toEqual(emails);
      });
    }
  });

  it('the same email registered twice at once: one account, the other told it exists (exit 2)', async () => {
    const home = freshHome();
    const results = await Promise.all([1, 2].map(() => register(home, 'same@example.com')));
    expect(results.map((result) => result.code).sort()).toEqual([0, 2]);
    expect(results.find((result) => result.code === 2)?.stderr).toMatch(/already exists/);
    withDb(home, (db) => expect(db.prepare('SELECT COUNT(*) AS n FROM users').get()).toEqual({ n: 1 }));
  });
});
