import bcrypt from 'bcryptjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { AuthError, DjsError, ExitCode, UsageError } from '../../src/core/errors.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { FileSecretStore } from '../../src/secrets/file-store.js';
import {
  AccountService,
  LOCKOUT_DURATION_MS,
  LOCKOUT_WINDOW_MS,
  normaliseEmail,
  normaliseName,
} from '../../src/accounts/accounts.js';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../../src/accounts/passwords.js';
import { deleteUserEverywhere } from '../../src/accounts/delete-user.js';
import { SessionFile } from '../../src/accounts/session-file.js';
import { SessionService } from '../../src/accounts/sessions.js';
import { accountOverview } from '../../src/accounts/overview.js';
import { addUser } from '../helpers/user-db.js';
import { insertPosting } from '../helpers/postings.js';
import { SearchService } from '../../src/jobs/search.js';

const PASSWORD = 'Corr3ct-Horse-Battery';
const MINUTE = 60_000;

let dir: string;
let db: Db;
let clock: FakeClock;
let accounts: AccountService;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'djs-accounts-'));
  db = openDatabase(join(dir, 'djs.db'));
  clock = new FakeClock(Date.parse('2030-01-15T09:00:00.000Z'));
  accounts = new AccountService(db, clock);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A user whose hash has bcrypt cost 4: the lockout logic is the same whatever the cost, and this keeps each
 * failed attempt at a few milliseconds instead of half a second. Cost 12 is checked on a real registration.
 */
function seedUser(email: string, password = PASSWORD): number {
  return addUser(db, email, { passwordHash: bcrypt.hashSync(password, 4), now: clock.now().toISOString() });
}

/** The names of the user's word index and its triggers that exist (db/word-index.ts). */
const wordIndexSchema = (userId: number): string[] =>
  db
    .prepare(`SELECT name FROM sqlite_schema WHERE tbl_name = ? OR name GLOB ? ORDER BY name`)
    .pluck()
    .all(`job_postings_words_${userId}`, `job_postings_words_${userId}_*`) as string[];

const userCount = (): number => (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;

async function authError(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect((error as AuthError).exitCode).toBe(ExitCode.auth);
  return error as AuthError;
}

describe('email and names', () => {
  it('normalises by trimming and lower-casing', () => {
    expect(normaliseEmail('  Ada.Lovelace@Example.COM \n')).toBe('ada.lovelace@example.com');
    expect(normaliseEmail('a+tag@sub.example.org')).toBe('a+tag@sub.example.org');
  });

  it.each([
    '',
    '   ',
    'no-at-sign',
    'a@b',
    'a@@b.co',
    'a b@c.de',
    'ab@c d.de',
    '@example.com',
    'ada@',
    'a\u0007b@example.com',
    `${'a'.repeat(250)}@example.com`,
  ])('rejects %j with a UsageError (exit 2)', (raw) => {
    expect(() => normaliseEmail(raw)).toThrow(UsageError);
  });

  it('trims names, turns empty into null, refuses control characters and overlong names', () => {
    expect(normaliseName('  Ada ', 'first name')).toBe('Ada');
    expect(normaliseName('   ', 'first name')).toBeNull();
    expect(normaliseName(undefined, 'first name')).toBeNull();
    expect(() => normaliseName('Ada\u001b[31m', 'first name')).toThrow(/control characters/);
    expect(() => normaliseName('x'.repeat(101), 'last name')).toThrow(/longer than 100/);
  });
});

describe('password policy', () => {
  const email = 'ada.lovelace1@example.com';

  it('needs at least 10 characters', () => {
    expect(() => checkPasswordPolicy('Abcdef12!', email)).toThrow(/too short/);
    expect(() => checkPasswordPolicy('Abcdefg12!', email)).not.toThrow();
  });

  it('counts characters (code points), not UTF-16 units: an emoji is one character', () => {
    expect('Ab1😀😀😀😀'.length).toBe(11);
    expect(() => checkPasswordPolicy('Ab1😀😀😀😀', email)).toThrow(/too short/);
    expect(() => checkPasswordPolicy('Ab1😀😀😀😀😀😀😀', email)).not.toThrow();
  });

  it('needs 3 of the 4 classes lower/upper/digit/symbol', () => {
    expect(() => checkPasswordPolicy('abcdefghijkl', email)).toThrow(/too weak/);
    expect(() => checkPasswordPolicy('abcdefghij12', email)).toThrow(/too weak/);
    expect(() => checkPasswordPolicy('ABCDEFGHIJ!!', email)).toThrow(/too weak/);
    expect(() => checkPasswordPolicy('abcdefghij1!', email)).not.toThrow(); // lower, digit, symbol
    expect(() => checkPasswordPolicy('Abcdefghij12', email)).not.toThrow(); // lower, upper, digit
    expect(() => checkPasswordPolicy('abcdefghij KL', email)).not.toThrow(); // a space is a symbol
  });

  it('must not be the email or its local part, whatever the case', () => {
    expect(() => checkPasswordPolicy('Ada.Lovelace1@Example.com', email)).toThrow(/email/);
    expect(() => checkPasswordPolicy('ADA.LOVELACE1', email)).toThrow(/email/);
    expect(() => checkPasswordPolicy('Ada.Lovelace1!', email)).not.toThrow();
  });

  it('throws UsageError so the CLI exits 2', () => {
    expect(() => checkPasswordPolicy('short', email)).toThrow(UsageError);
  });
});

describe('passwords longer than bcrypt reads (72 bytes)', () => {
  const long = `Aa1!${'é'.repeat(40)}`; // 84 UTF-8 bytes
  const twin = `${Buffer.from(long).subarray(0, 72).toString('utf8')}-something else`;

  it('two passwords sharing their first 72 bytes are different passwords', async () => {
    expect(Buffer.byteLength(long)).toBeGreaterThan(72);
    const hash = await hashPassword(long);
    expect(await verifyPassword(long, hash)).toBe(true);
    expect(await verifyPassword(twin, hash)).toBe(false);
  });

  it('a hash from before pre-hashing still logs in, and is replaced by one without the cut-off', async () => {
    const id = seedUser('ada@example.com', long);
    expect(await verifyPassword(twin, bcrypt.hashSync(long, 4))).toBe(true); // what bcrypt alone does
    expect((await accounts.authenticate('ada@example.com', long)).id).toBe(id);
    const { password_hash } = db.prepare('SELECT password_hash FROM users WHERE id = ?').get(id) as {
      password_hash: string;
    };
    expect(password_hash).toMatch(/^hmac-sha256\+/);
    await authError(accounts.authenticate('ada@example.com', twin));
    expect((await accounts.authenticate('ada@example.com', long)).id).toBe(id);
  });
});

describe('AccountService.register', () => {
  it('stores a normalised email and a bcrypt cost-12 hash, never the password; a duplicate is a UsageError', async () => {
    const user = await accounts.register({
      email: ' Ada@Example.com ',
      password: PASSWORD,
      firstName: ' Ada ',
      lastName: 'Lovelace',
    });
    expect(user).toMatchObject({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' });
    expect(user.createdAt).toBe(clock.now().toISOString());
    const row = db.prepare('SELECT * FROM users WHERE id = ?').get(user.id) as Record<string, unknown>;
    expect(row.password_hash).toMatch(/^hmac-sha256\+\$2[ab]\$12\$/);
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, row.password_hash as string)).toBe(true);
    // With their own word index, so their postings can be stored (migration 011 refuses them otherwise).
    expect(wordIndexSchema(user.id)).toEqual(
      expect.arrayContaining([
        `job_postings_words_${user.id}`,
        `job_postings_words_${user.id}_delete`,
        `job_postings_words_${user.id}_insert`,
        `job_postings_words_${user.id}_update`,
      ]),
    );
    insertPosting(db, user.id, { jobId: '4000000001', title: 'Go developer' }, clock.now().toISOString());

    const duplicate = accounts.register({ email: 'ADA@example.com', password: PASSWORD });
    await expect(duplicate).rejects.toThrow(UsageError);
    await expect(duplicate).rejects.toThrow(/already exists/);
    expect(userCount()).toBe(1);
  });

  it('creates nothing for an invalid email, a weak password, the email as password or a bad name', async () => {
    await expect(accounts.register({ email: 'not-an-email', password: PASSWORD })).rejects.toThrow(
      UsageError,
    );
    await expect(accounts.register({ email: 'bo@example.com', password: 'password' })).rejects.toThrow(
      UsageError,
    );
    await expect(
      accounts.register({ email: 'Bob.Smith1@example.com', password: 'bob.smith1@example.com' }),
    ).rejects.toThrow(UsageError);
    await expect(
      accounts.register({ email: 'bo@example.com', password: PASSWORD, firstName: 'x\u0000' }),
    ).rejects.toThrow(UsageError);
    expect(userCount()).toBe(0);
  });

  it('update refuses an email that belongs to someone else', () => {
    const a = seedUser('a@example.com');
    seedUser('b@example.com');
    expect(() => accounts.update(a, { email: ' B@example.com' })).toThrow(/already exists/);
    expect(accounts.update(a, { firstName: 'Ada', email: 'A2@example.com' })).toMatchObject({
      email: 'a2@example.com',
      firstName: 'Ada',
    });
  });
});

describe('AccountService.authenticate and the lockout', () => {
  it('accepts the right password for any spelling of the email', async () => {
    const id = seedUser('ada@example.com');
    expect((await accounts.authenticate('  ADA@example.com', PASSWORD)).id).toBe(id);
    const wrong = await authError(accounts.authenticate('ada@example.com', 'Wrong-Passw0rd'));
    expect(wrong.message).toBe('Wrong email or password.');
    const unknown = await authError(accounts.authenticate('nobody@example.com', PASSWORD));
    expect(unknown.message).toBe(wrong.message);
  });

  it('5 failures within 15 minutes lock for 15 minutes, even for the right password, and the lock survives a restart', async () => {
    seedUser('ada@example.com');
    for (let i = 1; i <= 4; i++) {
      const error = await authError(accounts.authenticate('ada@example.com', `Wrong-Passw0rd${i}`));
      expect(error.message).not.toMatch(/locked/);
      clock.advance(2 * MINUTE);
    }
    const fifth = await authError(accounts.authenticate('ada@example.com', 'Wrong-Passw0rd5'));
    const lockedUntil = new Date(clock.now().getTime() + LOCKOUT_DURATION_MS);
    const shown = `${lockedUntil.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    expect(fifth.message).toMatch(/locked/);
    expect(fifth.message).toContain(shown);

    clock.advance(MINUTE);
    const during = await authError(accounts.authenticate('ada@example.com', PASSWORD));
    expect(during.message).toMatch(/locked/);
    expect(during.message).toContain(shown);

    // Kept in the database: a new service on a reopened database still refuses.
    db.close();
    db = openDatabase(join(dir, 'djs.db'));
    accounts = new AccountService(db, clock);
    clock.advance(LOCKOUT_DURATION_MS - 2 * MINUTE); // 1 minute before the end of the lock
    expect((await authError(accounts.authenticate('ada@example.com', PASSWORD))).message).toMatch(/locked/);

    clock.advance(MINUTE + 1000);
    expect((await accounts.authenticate('ada@example.com', PASSWORD)).email).toBe('ada@example.com');
  });

  it('after a lock ends, one more failure does not lock again at once', async () => {
    seedUser('ada@example.com');
    for (let i = 0; i < 5; i++) await authError(accounts.authenticate('ada@example.com', 'Wrong-Passw0rd'));
    clock.advance(LOCKOUT_DURATION_MS + 1000);
    const next = await authError(accounts.authenticate('ada@example.com', 'Wrong-Passw0rd'));
    expect(next.message).toBe('Wrong email or password.');
    expect((await accounts.authenticate('ada@example.com', PASSWORD)).email).toBe('ada@example.com');
  });

  it('failures older than the 15-minute window do not count', async () => {
    seedUser('ada@example.com');
    for (let i = 0; i < 4; i++) await authError(accounts.authenticate('ada@example.com', 'Wrong-Passw0rd'));
    clock.advance(LOCKOUT_WINDOW_MS + 1000);
    for (let i = 0; i < 4; i++) {
      expect(
        (await authError(accounts.authenticate('ada@example.com', 'Wrong-Passw0rd'))).message,
      ).not.toMatch(/locked/);
    }
    expect((await accounts.authenticate('ada@example.com', PASSWORD)).email).toBe('ada@example.com');
  });

  it('a success resets the count', async () => {
    seedUser('ada@example.com');
    for (let i = 0; i < 4; i++) await authError(accounts.authenticate('ada@example.com', 'Wrong-Passw0rd'));
    await accounts.authenticate('ada@example.com', PASSWORD);
    clock.advance(1000);
    for (let i = 0; i < 4; i++) {
      expect(
        (await authError(accounts.authenticate('ada@example.com', 'Wrong-Passw0rd'))).message,
      ).not.toMatch(/locked/);
    }
    expect((await accounts.authenticate('ada@example.com', PASSWORD)).email).toBe('ada@example.com');
    clock.advance(1000);
    // and the fifth failure in a row after that success does lock
    for (let i = 0; i < 4; i++) await authError(accounts.authenticate('ada@example.com', 'Wrong-Passw0rd'));
    expect((await authError(accounts.authenticate('ada@example.com', 'Wrong-Passw0rd'))).message).toMatch(
      /locked/,
    );
  });

  it('locks one email without touching another', async () => {
    seedUser('ada@example.com');
    seedUser('bob@example.com');
    for (let i = 0; i < 5; i++) await authError(accounts.authenticate('ada@example.com', 'Wrong-Passw0rd'));
    expect((await authError(accounts.authenticate('ada@example.com', PASSWORD))).message).toMatch(/locked/);
    expect((await accounts.authenticate('bob@example.com', PASSWORD)).email).toBe('bob@example.com');
  });

  it('an unknown email costs about the same time as a wrong password (cost-12 decoy hash)', async () => {
    const registered = await accounts.register({ email: 'ada@example.com', password: PASSWORD });
    expect(registered.id).toBeGreaterThan(0);
    const time = async (email: string): Promise<number> => {
      const start = performance.now();
      await authError(accounts.authenticate(email, 'Wrong-Passw0rd'));
      return performance.now() - start;
    };
    let known = 0;
    let unknown = 0;
    // Interleaved so that load from other test files affects both sides alike.
    for (let i = 0; i < 2; i++) {
      known += await time('ada@example.com');
      unknown += await time(`nobody${i}@example.com`);
    }
    expect(known).toBeGreaterThan(100); // a real bcrypt comparison happened
    const ratio = unknown / known;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});

describe('deleting a user', () => {
  function seedData(ids: number[]): void {
    const now = clock.now().toISOString();
    for (const id of ids) {
      db.prepare(
        `INSERT INTO user_google_credentials (user_id, google_email, scopes, linked_at, created_at, updated_at)
         VALUES (?, 'g@example.com', 'drive.file', ?, ?, ?)`,
      ).run(id, now, now, now);
      db.prepare(
        `INSERT INTO user_spreadsheets (user_id, spreadsheet_id, sheet_id, created_at, updated_at)
         VALUES (?, ?, '0', ?, ?)`,
      ).run(id, `sheet-${id}`, now, now);
      db.prepare(
        `INSERT INTO user_search_history (user_id, keywords, location, search_date) VALUES (?, '["ts"]', 'Berlin', ?)`,
      ).run(id, now);
      insertPosting(db, id, { jobId: String(4_000_000_000 + id), title: 'Go developer' }, now);
    }
  }

  it('forgets the Google link first, then removes every row of the user and the session file', async () => {
    const ada = seedUser('ada@example.com');
    const bob = seedUser('bob@example.com');
    seedData([ada, bob]);
    await authError(accounts.authenticate('ada@example.com', 'Wrong-Passw0rd'));
    clock.advance(1000);
    await accounts.authenticate('ada@example.com', PASSWORD);
    const secrets = new FileSecretStore(join(dir, 'secrets.json'));
    const file = new SessionFile(join(dir, 'session.json'));
    const sessions = new SessionService({ db, secrets: async () => secrets, clock, env: {}, file });
    await sessions.start(ada);
    clock.advance(31 * MINUTE);
    await sessions.current(); // a rotation, so session_retired_tokens has a row too
    const forgotten: { userId: number; userStillThere: boolean }[] = [];

    await deleteUserEverywhere({
      accounts,
      sessions,
      userId: ada,
      forgetGoogle: async (userId) => {
        forgotten.push({ userId, userStillThere: accounts.get(userId) !== null });
      },
    });

    expect(forgotten).toEqual([{ userId: ada, userStillThere: true }]);
    expect(file.read().kind).toBe('absent');
    const count = (table: string, id: number): number =>
      (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE user_id = ?`).get(id) as { n: number }).n;
    for (const table of [
      'user_google_credentials',
      'user_spreadsheets',
      'user_search_history',
      'job_postings',
    ]) {
      expect(count(table, ada), table).toBe(0);
      expect(count(table, bob), table).toBe(1);
    }
    // Ada's vocabulary is gone from the table and its trigram index; Bob's word is still found.
    expect(count('search_vocabulary', ada)).toBe(0);
    expect(count('search_vocabulary', bob)).toBeGreaterThan(0);
    expect(
      db
        .prepare(
          "SELECT count(*) FROM search_vocabulary_trigram WHERE search_vocabulary_trigram MATCH 'developer'",
        )
        .pluck()
        .get(),
    ).toBe(1);
    // The word index of Ada's postings is gone with its triggers; Bob's still finds his.
    expect(wordIndexSchema(ada)).toEqual([]);
    expect(wordIndexSchema(bob)).toHaveLength(1 + 3 + 4); // the table, its triggers, FTS5's shadow tables
    const bobs = new SearchService(db, bob).search({ keywords: ['go'], limit: 5 });
    expect(bobs.hits.map((hit) => hit.jobId)).toEqual([String(4_000_000_000 + bob)]);
    expect(count('sessions', ada)).toBe(0);
    expect((db.prepare('SELECT COUNT(*) AS n FROM session_retired_tokens').get() as { n: number }).n).toBe(0);
    const attempts = (email: string): number =>
      (db.prepare('SELECT COUNT(*) AS n FROM login_attempts WHERE email = ?').get(email) as { n: number }).n;
    expect(attempts('ada@example.com')).toBe(0);
    expect(accounts.get(ada)).toBeNull();
    expect(accounts.get(bob)?.email).toBe('bob@example.com');
    expect(() => accounts.require(ada)).toThrow(AuthError);
  });

  it('deletes nothing when forgetting the Google link fails (e.g. the keychain is unreachable)', async () => {
    const ada = seedUser('ada@example.com');
    seedData([ada]);
    const file = new SessionFile(join(dir, 'session.json'));
    const secrets = new FileSecretStore(join(dir, 'secrets.json'));
    const sessions = new SessionService({ db, secrets: async () => secrets, clock, env: {}, file });
    await sessions.start(ada);
    await expect(
      deleteUserEverywhere({
        accounts,
        sessions,
        userId: ada,
        forgetGoogle: async () => {
          throw new DjsError('The OS keychain is not reachable.');
        },
      }),
    ).rejects.toThrow(DjsError);
    expect(accounts.get(ada)?.email).toBe('ada@example.com');
    expect(file.read().kind).toBe('present');
    expect((await sessions.current()).userId).toBe(ada);
  });
});

describe('accountOverview', () => {
  it('reports only the data of the given user', () => {
    const ada = seedUser('ada@example.com');
    const bob = seedUser('bob@example.com');
    const now = clock.now().toISOString();
    db.prepare(
      `INSERT INTO user_spreadsheets (user_id, spreadsheet_id, sheet_id, spreadsheet_name, created_at, updated_at)
       VALUES (?, 'bob-sheet', '0', 'Bob', ?, ?)`,
    ).run(bob, now, now);
    db.prepare(
      `INSERT INTO user_google_credentials (user_id, google_email, scopes, linked_at, created_at, updated_at)
       VALUES (?, 'bob@gmail.com', 'drive.file', ?, ?, ?)`,
    ).run(bob, now, now, now);
    expect(accountOverview(db, ada)).toMatchObject({
      google: { linked: false },
      spreadsheet: null,
      postings: 0,
    });
    expect(accountOverview(db, bob)).toMatchObject({
      google: { linked: true },
      spreadsheet: { id: 'bob-sheet' },
    });
  });
});
