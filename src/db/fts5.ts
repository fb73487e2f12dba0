/**
 * What djs's database modules share below database.ts, which imports them (migration 011's step): the
 * connection's type, and FTS5's upkeep command.
 */
import type Database from 'better-sqlite3';

/** A connection to djs's database (opened by database.ts, which exports this type to everyone else). */
export type Db = Database.Database;

/** FTS5 `optimize`: the index merged into one segment. */
export function optimizeIndex(db: Db, table: string): void {
  db.prepare(`INSERT INTO ${table} (${table}) VALUES ('optimize')`).run();
}
