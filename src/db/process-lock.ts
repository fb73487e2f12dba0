import { hostname } from 'node:os';
import { LockHeldError } from '../core/errors.js';
import type { Db } from './database.js';

/**
 * A named lock row in the database, so one `update-db` runs at a time per database. A lock left by a
 * process that no longer exists on this host (killed with -9, machine crash) is taken over instead of
 * blocking cron forever.
 */
export class ProcessLock {
  private held = false;

  constructor(
    private readonly db: Db,
    private readonly name: string,
    private readonly pid = process.pid,
    private readonly host = hostname(),
  ) {}

  acquire(now: string, busyMessage: string): void {
    this.db
      .transaction(() => {
        const holder = this.db
          .prepare('SELECT pid, hostname FROM process_locks WHERE name = ?')
          .get(this.name) as { pid: number; hostname: string } | undefined;
        if (holder && holder.pid !== this.pid && (holder.hostname !== this.host || isAlive(holder.pid))) {
          throw new LockHeldError(busyMessage);
        }
        this.db
          .prepare(
            `INSERT INTO process_locks (name, pid, hostname, acquired_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET pid = excluded.pid, hostname = excluded.hostname,
               acquired_at = excluded.acquired_at`,
          )
          .run(this.name, this.pid, this.host, now);
      })
      .immediate();
    this.held = true;
  }

  release(): void {
    if (!this.held) return;
    this.db
      .prepare('DELETE FROM process_locks WHERE name = ? AND pid = ? AND hostname = ?')
      .run(this.name, this.pid, this.host);
    this.held = false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
