import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { DjsError } from './errors.js';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder (and parents) readable by its owner only; tightens an existing one. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if ((statSync(dir).mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Writes a 0600 file atomically (temp file, fsync, rename), so a crash or a concurrent reader never
 * sees half a session or half a secret, and the file is never briefly world-readable.
 */
export function writePrivateFileAtomic(path: string, content: string): void {
  ensurePrivateDir(dirname(path));
  const temp = `${path}.${process.pid}.tmp`;
  // Exclusive creation never follows a link planted at the temp name; a leftover of a crash is removed.
  rmSync(temp, { force: true });
  const fd = openSync(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** A lock is held for a read-modify-write of a small file: milliseconds. Older than this, its holder died. */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 5_000;
const LOCK_POLL_MS = 10;

/**
 * Runs `action` while holding `${path}.lock`, a file created exclusively, so that processes doing a
 * read-modify-write of the same file take turns instead of overwriting each other's changes. A lock left
 * by a process that crashed is taken over once it is older than anyone would hold it.
 */
export function withFileLock<T>(path: string, action: () => T): T {
  const lock = `${path}.lock`;
  ensurePrivateDir(dirname(path));
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', PRIVATE_FILE_MODE));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (lockAgeMs(lock) > STALE_LOCK_MS) {
      rmSync(lock, { force: true });
    } else if (Date.now() > deadline) {
      throw new DjsError(
        `Another djs process has held ${lock} for too long. If no other djs is running, delete that file.`,
      );
    } else {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, LOCK_POLL_MS);
    }
  }
  try {
    return action();
  } finally {
    rmSync(lock, { force: true });
  }
}

function lockAgeMs(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0; // released in the meantime: try again at once
  }
}
