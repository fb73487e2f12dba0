import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/db/database.js';

/** A fresh database in a temporary folder with one user (id 1), for tests of the stores; `close` removes it. */
export function userDatabase(
  prefix: string,
  now = '2025-04-01T00:00:00.000Z',
): { db: Db; close: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = openDatabase(join(dir, 'djs.db'));
  db.prepare('INSERT INTO users (email, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?)').run(
    'a@example.com',
    'x',
    now,
    now,
  );
  return {
    db,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
