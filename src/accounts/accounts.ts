import { AuthError, UsageError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/database.js';
import { createWordIndex, dropWordIndex } from '../db/word-index.js';
import { checkPasswordPolicy, hashPassword, isLegacyHash, verifyPassword } from './passwords.js';
import { hasControlCharacter } from '../core/sanitize.js';

export interface User {
  id: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
  createdAt: string;
  updatedAt: string;
}

interface UserRow {
  id: number;
  email: string;
  password_hash: string;
  first_name: string | null;
  last_name: string | null;
  is_active: number;
  created_at: string;
  updated_at: string;
}

export const LOCKOUT_MAX_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;
export const LOCKOUT_DURATION_MS = 15 * 60 * 1000;
const MAX_NAME_LENGTH = 100;
const MAX_EMAIL_LENGTH = 254;

// Deliberately simple: one @, a dot in the domain, no spaces or control characters. RFC 5322 allows
// far more, but an address that fails this is a typo in practice.
const EMAIL_PATTERN = /^[^\s@\u0000-\u001f\u007f]+@[^\s@\u0000-\u001f\u007f]+\.[^\s@\u0000-\u001f\u007f]+$/;

export function normaliseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (!email) throw new UsageError('An email address is required.');
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(email)) {
    throw new UsageError(`"${email.slice(0, 80)}" is not a valid email address.`);
  }
  return email;
}

export function normaliseName(raw: string | undefined, label: string): string | null {
  if (raw === undefined) return null;
  const name = raw.trim();
  if (hasControlCharacter(name)) throw new UsageError(`The ${label} contains control characters.`);
  if (name.length > MAX_NAME_LENGTH)
    throw new UsageError(`The ${label} is longer than ${MAX_NAME_LENGTH} characters.`);
  return name || null;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Local accounts: registration, authentication with lockout, profile changes and deletion (SPEC §5). */
export class AccountService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async register(input: {
    email: string;
    password: string;
    firstName?: string;
    lastName?: string;
  }): Promise<User> {
    const email = normaliseEmail(input.email);
    const firstName = normaliseName(input.firstName, 'first name');
    const lastName = normaliseName(input.lastName, 'last name');
    checkPasswordPolicy(input.password, email);
    this.assertEmailFree(email);
    const hash = await hashPassword(input.password);
    const now = this.clock.now().toISOString();
    try {
      // BEGIN IMMEDIATE: the write lock first, waited for (busy_timeout). A deferred transaction whose
      // snapshot another registration outdated before it wrote would fail at once ("database is locked").
      const userId = this.db
        .transaction(() => {
          const { lastInsertRowid } = this.db
            .prepare(
              `INSERT INTO users (email, password_hash, first_name, last_name, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?)`,
            )
            .run(email, hash, firstName, lastName, now, now);
          createWordIndex(this.db, Number(lastInsertRowid));
          return Number(lastInsertRowid);
        })
        .immediate();
      return this.require(userId);
    } catch (error) {
      // Another process registered the same email while we were hashing.
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw emailTaken(email);
      throw error;
    }
  }

  /**
   * Checks credentials. Five failures for an email within 15 minutes lock it for 15 minutes; the
   * counters live in the database so restarting djs does not reset them.
   */
  async authenticate(rawEmail: string, password: string): Promise<User> {
    const email = normaliseEmail(rawEmail);
    const now = this.clock.now();
    const lockedUntil = this.lockedUntil(email, now);
    if (lockedUntil) throw lockedError(lockedUntil);

    const row = this.findRow(email);
    const valid = await verifyPassword(password, row?.password_hash ?? null);
    if (valid && row && row.is_active === 1) {
      const rehashed = isLegacyHash(row.password_hash) ? await hashPassword(password) : null;
      this.db.transaction(() => {
        this.recordAttempt(email, now, true);
        this.db.prepare('DELETE FROM login_lockouts WHERE email = ?').run(email);
        if (rehashed)
          this.db
            .prepare('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?')
            .run(rehashed, row.id, row.password_hash);
      })();
      return toUser(row);
    }

    const lockedNow = this.db.transaction(() => {
      this.recordAttempt(email, now, false);
      if (this.recentFailures(email, now) < LOCKOUT_MAX_FAILURES) return null;
      const until = new Date(now.getTime() + LOCKOUT_DURATION_MS);
      this.db
        .prepare(
          `INSERT INTO login_lockouts (email, locked_until) VALUES (?, ?)
           ON CONFLICT (email) DO UPDATE SET locked_until = excluded.locked_until`,
        )
        .run(email, until.toISOString());
      return until;
    })();
    if (lockedNow) {
      throw new AuthError(
        `Wrong email or password. After ${LOCKOUT_MAX_FAILURES} failed attempts this account is locked until ${formatTime(lockedNow)}.`,
      );
    }
    throw new AuthError('Wrong email or password.');
  }

  /** How many times this email has logged in successfully (1 right after its first login). */
  successfulLogins(email: string): number {
    const row = this.db
      .prepare('SELECT COUNT(*) AS logins FROM login_attempts WHERE email = ? AND succeeded = 1')
      .get(normaliseEmail(email)) as { logins: number };
    return row.logins;
  }

  get(userId: number): User | null {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ? AND is_active = 1').get(userId) as
      UserRow | undefined;
    return row ? toUser(row) : null;
  }

  require(userId: number): User {
    const user = this.get(userId);
    if (!user) throw new AuthError('Your account no longer exists. Run `djs register` or `djs login`.');
    return user;
  }

  update(userId: number, changes: { email?: string; firstName?: string; lastName?: string }): User {
    const current = this.require(userId);
    const email = changes.email === undefined ? current.email : normaliseEmail(changes.email);
    const firstName =
      changes.firstName === undefined ? current.firstName : normaliseName(changes.firstName, 'first name');
    const lastName =
      changes.lastName === undefined ? current.lastName : normaliseName(changes.lastName, 'last name');
    if (email !== current.email) this.assertEmailFree(email);
    this.db
      .prepare('UPDATE users SET email = ?, first_name = ?, last_name = ?, updated_at = ? WHERE id = ?')
      .run(email, firstName, lastName, this.clock.now().toISOString(), userId);
    return this.require(userId);
  }

  async changePassword(userId: number, currentPassword: string, newPassword: string): Promise<void> {
    const user = this.require(userId);
    const row = this.findRow(user.email);
    if (!(await verifyPassword(currentPassword, row?.password_hash ?? null))) {
      throw new AuthError('The current password is wrong; the password was not changed.');
    }
    checkPasswordPolicy(newPassword, user.email);
    const hash = await hashPassword(newPassword);
    this.db
      .prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?')
      .run(hash, this.clock.now().toISOString(), userId);
  }

  async verifyOwnPassword(userId: number, password: string): Promise<void> {
    const row = this.findRow(this.require(userId).email);
    if (!(await verifyPassword(password, row?.password_hash ?? null))) {
      throw new AuthError('The password is wrong; nothing was changed.');
    }
  }

  /**
   * Removes the user; ON DELETE CASCADE removes every row of their data. Login attempts are kept by email
   * rather than user id, so they are removed here: otherwise the deleted email would stay in the database.
   */
  delete(userId: number): void {
    this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT email FROM users WHERE id = ?').get(userId) as
          { email: string } | undefined;
        if (row) {
          this.db.prepare('DELETE FROM login_attempts WHERE email = ?').run(row.email);
          this.db.prepare('DELETE FROM login_lockouts WHERE email = ?').run(row.email);
        }
        // Dropped whole first: otherwise deleting each posting would also delete it from the index, row by row.
        dropWordIndex(this.db, userId);
        this.db.prepare('DELETE FROM users WHERE id = ?').run(userId);
      })
      .immediate();
  }

  private findRow(email: string): UserRow | undefined {
    return this.db.prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined;
  }

  private assertEmailFree(email: string): void {
    if (this.findRow(email)) throw emailTaken(email);
  }

  private lockedUntil(email: string, now: Date): Date | null {
    const row = this.db.prepare('SELECT locked_until FROM login_lockouts WHERE email = ?').get(email) as
      { locked_until: string } | undefined;
    if (!row) return null;
    const until = new Date(row.locked_until);
    return until > now ? until : null;
  }

  /** Failures inside the window that came after the last success and after the last lockout ended. */
  private recentFailures(email: string, now: Date): number {
    const windowStart = new Date(now.getTime() - LOCKOUT_WINDOW_MS).toISOString();
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS failures FROM login_attempts
         WHERE email = @email AND succeeded = 0
           AND attempted_at > MAX(@windowStart,
             COALESCE((SELECT MAX(attempted_at) FROM login_attempts WHERE email = @email AND succeeded = 1), ''),
             COALESCE((SELECT locked_until FROM login_lockouts WHERE email = @email), ''))`,
      )
      .get({ email, windowStart }) as { failures: number };
    return row.failures;
  }

  private recordAttempt(email: string, at: Date, succeeded: boolean): void {
    this.db
      .prepare('INSERT INTO login_attempts (email, attempted_at, succeeded) VALUES (?, ?, ?)')
      .run(email, at.toISOString(), succeeded ? 1 : 0);
    // Failures only matter inside the lockout window; keep a day of them, not forever. (Successes stay:
    // the first one is what makes `login` offer to connect Google.)
    this.db
      .prepare('DELETE FROM login_attempts WHERE succeeded = 0 AND attempted_at < ?')
      .run(new Date(at.getTime() - 86_400_000).toISOString());
  }
}

function emailTaken(email: string): UsageError {
  return new UsageError(
    `An account for ${email} already exists. Run \`djs login --email ${email}\` instead.`,
  );
}

function lockedError(until: Date): AuthError {
  return new AuthError(
    `This account is locked after too many failed logins. Try again after ${formatTime(until)}.`,
  );
}

function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
