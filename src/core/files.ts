import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { dirname } from 'node:path';
import { DjsError } from './errors.js';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export type Warn = (message: string) => void;

/**
 * Creates the folder (and parents) readable by its owner only; tightens an existing one. A folder that
 * belongs to another user is refused, not tightened: its owner could swap any file in it under djs, and
 * even root should not quietly take someone else's folder over.
 */
export function ensurePrivateDir(dir: string): void {
  makeDirWithParents(dir);
  const stats = statSync(dir);
  if (!stats.isDirectory()) throw new DjsError(`${dir} is not a folder. Point DJS_HOME at a folder.`);
  if (!ownedByMe(stats)) {
    throw new DjsError(
      `The data folder ${dir} belongs to another user (uid ${stats.uid}). Point DJS_HOME at a folder of your own.`,
    );
  }
  if ((stats.mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * mkdir -p, private. Not Node's `mkdirSync(dir, { recursive: true })`: where a folder cannot be made
 * although its parent exists (a new folder in /proc answers ENOENT), Node 20 retries forever at full CPU.
 */
function makeDirWithParents(dir: string): void {
  const make = (): 'made' | 'exists' | 'no parent' => {
    try {
      mkdirSync(dir, { mode: PRIVATE_DIR_MODE });
      return 'made';
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return 'exists';
      if (code === 'ENOENT' && dirname(dir) !== dir) return 'no parent';
      throw error;
    }
  };
  if (make() !== 'no parent') return;
  makeDirWithParents(dirname(dir));
  if (make() === 'no parent') {
    throw new DjsError(`Cannot create the folder ${dir} there. Point DJS_HOME at a folder you can write.`);
  }
}

const ownedByMe = (stats: Stats): boolean => process.getuid === undefined || stats.uid === process.getuid();

/**
 * Reads a private file (the session, the secrets) without following a link planted in its place, after
 * checking it as `checkPrivateFile` does. Null when there is no such file.
 */
export function readPrivateFile(path: string, warn: Warn): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw linkRefused(path);
    throw error;
  }
  try {
    guardPrivateFile(path, fstatSync(fd), () => fchmodSync(fd, PRIVATE_FILE_MODE), warn);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks a private file before it is opened by path (the database, which SQLite opens itself): not a
 * link, a regular file of this user's, and 0600: a looser mode is tightened back, with a warning.
 */
export function checkPrivateFile(path: string, warn: Warn): void {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (stats.isSymbolicLink()) throw linkRefused(path);
  guardPrivateFile(path, stats, () => chmodSync(path, PRIVATE_FILE_MODE), warn);
}

function guardPrivateFile(path: string, stats: Stats, tighten: () => void, warn: Warn): void {
  if (!stats.isFile()) throw new DjsError(`${path} is not a regular file. Move it aside and run djs again.`);
  if (!ownedByMe(stats)) {
    throw new DjsError(
      `${path} belongs to another user (uid ${stats.uid}); djs only uses files of your own. Move it aside and run djs again.`,
    );
  }
  const mode = stats.mode & 0o777;
  if (mode & ~PRIVATE_FILE_MODE) {
    tighten();
    warn(
      `${path} was open to other users (mode ${mode.toString(8).padStart(4, '0')}); it is 0600 again. ` +
        'Check who could have read or changed it.',
    );
  }
}

function linkRefused(path: string): DjsError {
  return new DjsError(
    `${path} is a symbolic link; djs does not follow links for its private files. Remove the link (and find out who made it), then run djs again.`,
  );
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
      sleepSync(LOCK_POLL_MS);
    }
  }
  try {
    return action();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Blocks this thread for `ms` milliseconds (for a short wait between tries where nothing is async). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function lockAgeMs(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0; // released in the meantime: try again at once
  }
}
