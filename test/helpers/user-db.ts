import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/db/database.js';
import { createWordIndex } from '../../src/db/word-index.js';

/**
 * Adds a user row as accounts.ts does, with their word index (db/word-index.ts: without it their postings
 * are refused), and returns its id.
 */
export function addUser(
  db: Db,
  email: string,
  options: { id?: number; passwordHash?: string; now?: string } = {},
): number {
  const now = options.now ?? new Date().toISOString();
  return db.transaction(() => {
    const { lastInsertRowid } = db
      .prepare('INSERT INTO users (id, email, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(options.id ?? null, email, options.passwordHash ?? 'x', now, now);
    createWordIndex(db, Number(lastInsertRowid));
    return Number(lastInsertRowid);
  })();
}

/** A fresh database in a temporary folder with one user (id 1), for tests of the stores; `close` removes it. */
export function userDatabase(
  prefix: string,
  now = '2025-04-01T00:00:00.000Z',
): { db: Db; close: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = openDatabase(join(dir, 'djs.db'));
  addUser(db, 'a@example.com', { now });
  return {
    db,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
