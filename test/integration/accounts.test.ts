import Database from 'better-sqlite3';
import {
  chmodSync,
  chownSync,
  existsSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, openDatabase } from '../../src/db/database.js';
import {
  expectNoStackTrace,
  registeredHome,
  runDjs,
  STRONG_PASSWORD,
  tempHome,
  type DjsResult,
  type RunOptions,
} from '../helpers/cli.js';

const ADA = 'ada@example.com';
const NEW_PASSWORD = 'Another-Str0ng-Secret';

/** Every run of the CLI in these tests: never a stack trace, whatever the outcome. */
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
  const { home, cleanup } = tempHome('djs-accounts-');
  cleanups.push(cleanup);
  return home;
}

/** One registration (bcrypt cost 12) shared by every test that just needs a logged-in Ada; each gets a copy. */
let template: Awaited<ReturnType<typeof registeredHome>>;
beforeAll(async () => {
  template = await registeredHome(ADA);
});
afterAll(() => template?.cleanup());

function withDb<T>(home: string, use: (db: Database.Database) => T, readonly = true): T {
  // Writes go through djs's own connection: the search index triggers call its SQL functions.
  const db = readonly ? new Database(join(home, 'djs.db'), { readonly }) : openDatabase(join(home, 'djs.db'));
  try {
    return use(db);
  } finally {
    db.close();
  }
}

const userCount = (home: string): number =>
  existsSync(join(home, 'djs.db'))
    ? withDb(home, (db) => (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n)
    : 0;

const databaseId = (home: string): string =>
  withDb(
    home,
    (db) => (db.prepare("SELECT value FROM meta WHERE key = 'database_id'").get() as { value: string }).value,
  );

const sessionTokens = (home: string): { accessToken: string; refreshToken: string } =>
  JSON.parse(readFileSync(join(home, 'session.json'), 'utf8'));

const mode = (path: string): number => statSync(path).mode & 0o777;

function databaseBytes(home: string): Buffer {
  const files = ['djs.db', 'djs.db-wal'].map((name) => join(home, name)).filter((path) => existsSync(path));
  return Buffer.concat(files.map((path) => readFileSync(path)));
}

/** Changes one character in the middle of the JWT signature (the last character may carry ignored bits). */
function alterSignature(jwt: string): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const i = Math.floor(signature.length / 2);
  const changed = signature.slice(0, i) + (signature[i] === 'A' ? 'B' : 'A') + signature.slice(i + 1);
  return `${header}.${payload}.${changed}`;
}

async function login(
  home: string,
  email: string,
  password: string,
  env?: RunOptions['env'],
): Promise<DjsResult> {
  return djs(['login', '--email', email, '--password-stdin'], { home, input: `${password}\n`, env });
}

const register = (home: string, email: string): Promise<DjsResult> =>
  djs(['register', '--email', email, '--password-stdin'], { home, input: `${STRONG_PASSWORD}\n` });

async function statusJson(home: string): Promise<{ code: number | null; body: Record<string, unknown> }> {
  const result = await djs(['status', '--json'], { home });
  return { code: result.code, body: JSON.parse(result.stdout) as Record<string, unknown> };
}

describe('register → login → status → logout', () => {
  it('works end to end; logout revokes at once, even for a copy of the session file; files are private', async () => {
    const home = join(freshHome(), 'nested', 'djs-home'); // djs must create this folder itself
    const registered = await djs(
      [
        'register',
        '--email',
        ' Ada@Example.com ',
        '--first-name',
        'Ada',
        '--last-name',
        'Lovelace',
        '--password-stdin',
      ],
      { home, input: `${STRONG_PASSWORD}\n` },
    );
    expect(registered.code, registered.stderr).toBe(0);
    expect(registered.stdout).toContain(ADA);
    const afterRegister = sessionTokens(home);

    expect(mode(home)).toBe(0o700);
    for (const file of ['djs.db', 'session.json', 'secrets.json'])
      expect(mode(join(home, file)), file).toBe(0o600);
    if (existsSync(join(home, 'djs.db-wal'))) expect(mode(join(home, 'djs.db-wal'))).toBe(0o600);

    const loggedIn = await login(home, 'ADA@example.com', STRONG_PASSWORD);
    expect(loggedIn.code, loggedIn.stderr).toBe(0);
    expect(loggedIn.stdout).toContain(`Logged in as ${ADA}`);
    const afterLogin = sessionTokens(home);
    expect(afterLogin.refreshToken).not.toBe(afterRegister.refreshToken);

    const status = await statusJson(home);
    expect(status.code).toBe(0);
    expect(status.body).toMatchObject({
      loggedIn: true,
      email: ADA,
      google: { linked: false },
      spreadsheet: null,
    });
    const human = await djs(['status'], { home });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`Logged in as  ${ADA}`);
    for (const file of ['djs.db', 'session.json', 'secrets.json'])
      expect(mode(join(home, file)), file).toBe(0o600);

    // Nothing secret in the database file: not the password, not any token ever issued.
    const bytes = databaseBytes(home);
    for (const secret of [
      STRONG_PASSWORD,
      afterRegister.refreshToken,
      afterRegister.accessToken,
      afterLogin.refreshToken,
      afterLogin.accessToken,
    ]) {
      expect(bytes.includes(secret)).toBe(false);
    }
    const jwtKey = JSON.parse(readFileSync(join(home, 'secrets.json'), 'utf8'))[
      `jwt:${databaseId(home)}`
    ] as string;
    expect(jwtKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(bytes.includes(jwtKey)).toBe(false);

    const copy = readFileSync(join(home, 'session.json'));
    const logout = await djs(['logout'], { home });
    expect(logout.code, logout.stderr).toBe(0);
    expect(existsSync(join(home, 'session.json'))).toBe(false);

    const loggedOut = await djs(['status'], { home });
    expect(loggedOut.code).toBe(4);
    expect(loggedOut.stderr).toMatch(/not logged in/);
    const loggedOutJson = await djs(['status', '--json'], { home });
    expect(loggedOutJson.code).toBe(4);
    expect(JSON.parse(loggedOutJson.stdout)).toMatchObject({ loggedIn: false, email: null });

    const again = await djs(['logout'], { home });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/no active session/);

    writeFileSync(join(home, 'session.json'), copy);
    const restored = await djs(['status', '--json'], { home });
    expect(restored.code).toBe(4);
    expect(restored.stderr).toMatch(/session has ended/);
    expect(JSON.parse(restored.stdout)).toMatchObject({ loggedIn: false });
  });
});

describe('sessions that must not work', () => {
  it('a session file whose JWT has one character changed exits 4', async () => {
    const home = template.clone();
    expect((await djs(['status'], { home })).code).toBe(0);
    const tokens = sessionTokens(home);
    writeFileSync(
      join(home, 'session.json'),
      JSON.stringify({ version: 1, ...tokens, accessToken: alterSignature(tokens.accessToken) }),
    );
    const status = await djs(['status'], { home });
    expect(status.code).toBe(4);
    expect(status.stderr).toMatch(/not valid/);
  });

  it('a damaged session file exits 4; logout removes it and exits 2', async () => {
    const home = template.clone();
    writeFileSync(join(home, 'session.json'), '{"accessToken": ');
    expect((await djs(['status'], { home })).code).toBe(4);
    const logout = await djs(['logout'], { home });
    expect(logout.code).toBe(2);
    expect(existsSync(join(home, 'session.json'))).toBe(false);
  });

  it('an expired access token is refreshed transparently and the refresh token rotated', async () => {
    const home = template.clone();
    const env = { JWT_ACCESS_TOKEN_EXPIRE_MINUTES: '0.01' }; // 0.6 s
    expect((await login(home, ADA, STRONG_PASSWORD, env)).code).toBe(0);
    const before = sessionTokens(home);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const status = await djs(['status', '--json'], { home, env });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ loggedIn: true, email: ADA });
    const after = sessionTokens(home);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(mode(join(home, 'session.json'))).toBe(0o600);
    const retired = withDb(home, (db) =>
      db.prepare('SELECT COUNT(*) AS n FROM session_retired_tokens').get(),
    );
    expect(retired).toEqual({ n: 1 });
  });

  it('several commands at once after the access token expired: every one refreshes fine', async () => {
    const home = template.clone();
    const env = { JWT_ACCESS_TOKEN_EXPIRE_MINUTES: '0.01' }; // 0.6 s
    expect((await login(home, ADA, STRONG_PASSWORD, env)).code).toBe(0);
    for (let round = 0; round < 3; round++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const results = await Promise.all([1, 2, 3, 4].map(() => djs(['status', '--json'], { home, env })));
      for (const result of results) expect(result.code, result.stderr).toBe(0);
    }
    const after = await djs(['status', '--json'], { home });
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ loggedIn: true, email: ADA });
    const live = withDb(home, (db) =>
      db.prepare('SELECT COUNT(*) AS n FROM sessions WHERE revoked_at IS NULL').get(),
    );
    expect(live).toEqual({ n: 1 });
  });

  it('an edited refresh-token field is refused (exit 4) even while the access token is valid', async () => {
    const home = template.clone();
    const tokens = sessionTokens(home);
    const edited =
      tokens.refreshToken.slice(0, -4) + (tokens.refreshToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    writeFileSync(
      join(home, 'session.json'),
      JSON.stringify({ version: 1, ...tokens, refreshToken: edited }),
    );
    const status = await djs(['status'], { home });
    expect(status.code).toBe(4);
    expect(status.stderr).toMatch(/session file is not valid/);
  });

  it('a database from a newer djs is refused with exit 1, and left as it was', async () => {
    const home = template.clone();
    withDb(
      home,
      (db) =>
        db
          .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')")
          .run(),
      false,
    );
    const status = await djs(['status'], { home });
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(/newer version of djs/);
    expect(withDb(home, (db) => db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get())).toEqual(
      { v: 999 },
    );
  });
});

describe('bad input exits 2 and creates nothing', () => {
  it('duplicate email, invalid email, weak password', async () => {
    const home = template.clone();
    const session = readFileSync(join(home, 'session.json'));
    const cases: [string, string, RegExp][] = [
      ['ADA@example.com ', STRONG_PASSWORD, /already exists/],
      ['not-an-email', STRONG_PASSWORD, /not a valid email/],
      ['bob@example.com', 'password', /too short/],
      ['bob@example.com', 'alllowercaseletters', /too weak/],
      ['bob.smith1@example.com', 'Bob.Smith1@example.com', /must not be your email/],
    ];
    for (const [email, password, message] of cases) {
      const result = await djs(['register', '--email', email, '--password-stdin'], {
        home,
        input: `${password}\n`,
      });
      expect(result.code, `${email} / ${password}`).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
    }
    expect(userCount(home)).toBe(1);
    // and the logged-in session is untouched
    expect(readFileSync(join(home, 'session.json')).equals(session)).toBe(true);
    expect((await djs(['status'], { home })).code).toBe(0);
  });

  it('invalid email on a fresh home creates no account; escape sequences in it never reach the terminal', async () => {
    const home = freshHome();
    const result = await djs(['register', '--email', 'x\u001b]0;owned\u0007\u001b[2J@', '--password-stdin'], {
      home,
      input: `${STRONG_PASSWORD}\n`,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not a valid email/);
    expect(result.stderr).not.toMatch(/[\u001b\u0007]/);
    expect(userCount(home)).toBe(0);
    expect(existsSync(join(home, 'session.json'))).toBe(false);
  });

  it('unknown commands and options exit 2; no arguments off a terminal prints help', async () => {
    const home = freshHome();
    const unknownCommand = await djs(['frobnicate'], { home });
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/unknown command/);
    const unknownOption = await djs(['status', '--bogus'], { home });
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toMatch(/unknown option/);
    const help = await djs([], { home });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: djs/);
    expect(help.stdout).toContain('register');
    const version = await djs(['--version'], { home });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(existsSync(join(home, 'djs.db'))).toBe(false);
  });
});

describe('no prompt when stdin is not a terminal', () => {
  it('register and login name the missing flag and exit 2', async () => {
    const home = freshHome();
    const cases: [string[], string][] = [
      [['register'], '--email'],
      [['register', '--email', ADA], '--password-stdin'],
      [['login'], '--email'],
      [['login', '--email', 'x'], '--password-stdin'],
    ];
    for (const [args, flag] of cases) {
      const result = await djs(args, { home });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(flag);
      expect(result.stdout).not.toMatch(/\?/); // no question was asked
    }
    expect(userCount(home)).toBe(0);
    const empty = await djs(['register', '--email', ADA, '--password-stdin'], { home, input: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--password-stdin expects/);
    expect(userCount(home)).toBe(0);
  });

  it('profile update/password/delete name their flags and change nothing', async () => {
    const home = template.clone();
    const cases: [string[], string][] = [
      [['profile', 'update'], '--first-name'],
      [['profile', 'password'], '--password-stdin'],
      [['profile', 'delete'], '--yes'],
    ];
    for (const [args, flag] of cases) {
      const result = await djs(args, { home });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(flag);
    }
    expect(userCount(home)).toBe(1);
    expect((await djs(['status'], { home })).code).toBe(0);
  });
});

describe('lockout', () => {
  it('five wrong passwords lock the account: the right one then exits 4 saying until when', async () => {
    const home = template.clone();
    // Five processes at once: the attempts are counted in the database, whatever the interleaving.
    const wrong = await Promise.all([1, 2, 3, 4, 5].map((i) => login(home, ADA, `Wrong-Passw0rd-${i}`)));
    for (const result of wrong) {
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/Wrong email or password/);
    }
    expect(
      withDb(home, (db) => db.prepare('SELECT COUNT(*) AS n FROM login_attempts WHERE succeeded = 0').get()),
    ).toEqual({ n: 5 });
    const right = await login(home, ADA, STRONG_PASSWORD);
    expect(right.code).toBe(4);
    expect(right.stderr).toMatch(/locked/);
    const until = /(\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC/.exec(right.stderr);
    expect(until).not.toBeNull();
    const minutes = (Date.parse(`${until![1]!.replace(' ', 'T')}:00Z`) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(13);
    expect(minutes).toBeLessThanOrEqual(15);
    // an unknown email is answered the same way as a wrong password
    const unknown = await login(home, 'nobody@example.com', STRONG_PASSWORD);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/Wrong email or password/);
  });
});

describe('profile', () => {
  it('update changes the names; an invalid change exits 2 and changes nothing', async () => {
    const home = template.clone();
    const updated = await djs(['profile', 'update', '--first-name', 'Ada', '--last-name', 'Lovelace'], {
      home,
    });
    expect(updated.code, updated.stderr).toBe(0);
    const shown = await djs(['profile', 'show', '--json'], { home });
    expect(JSON.parse(shown.stdout)).toMatchObject({ email: ADA, firstName: 'Ada', lastName: 'Lovelace' });

    const bad = await djs(['profile', 'update', '--email', 'nope', '--first-name', 'Eve'], { home });
    expect(bad.code).toBe(2);
    const after = await djs(['profile', 'show', '--json'], { home });
    expect(JSON.parse(after.stdout)).toMatchObject({ email: ADA, firstName: 'Ada' });
  });

  it('password --password-stdin changes the password: the old one then fails, the new one works', async () => {
    const home = template.clone();
    const wrongCurrent = await djs(['profile', 'password', '--password-stdin'], {
      home,
      input: `Not-The-Passw0rd\n${NEW_PASSWORD}\n`,
    });
    expect(wrongCurrent.code).toBe(4);
    const weak = await djs(['profile', 'password', '--password-stdin'], {
      home,
      input: `${STRONG_PASSWORD}\nweak\n`,
    });
    expect(weak.code).toBe(2);

    const changed = await djs(['profile', 'password', '--password-stdin'], {
      home,
      input: `${STRONG_PASSWORD}\n${NEW_PASSWORD}\n`,
    });
    expect(changed.code, changed.stderr).toBe(0);
    expect((await djs(['status'], { home })).code).toBe(0); // this session is kept
    expect(databaseBytes(home).includes(NEW_PASSWORD)).toBe(false);

    expect((await login(home, ADA, STRONG_PASSWORD)).code).toBe(4);
    const withNew = await login(home, ADA, NEW_PASSWORD);
    expect(withNew.code, withNew.stderr).toBe(0);
  });
});

describe('two users on one DJS_HOME', () => {
  let revokeServer: Server;
  let revokeUrl: string;
  beforeAll(async () => {
    revokeServer = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((resolve) => revokeServer.listen(0, '127.0.0.1', resolve));
    revokeUrl = `http://127.0.0.1:${(revokeServer.address() as AddressInfo).port}/revoke`;
  });
  afterAll(() => void revokeServer?.close());

  it('each sees only their own account; deleting one removes their rows and secrets and leaves the other intact', async () => {
    const home = template.clone();
    const env = { DJS_GOOGLE_REVOKE_URL: revokeUrl };
    const bob = 'bob@example.com';
    const registered = await djs(['register', '--email', bob, '--first-name', 'Bob', '--password-stdin'], {
      home,
      input: `${NEW_PASSWORD}\n`,
    });
    expect(registered.code, registered.stderr).toBe(0);

    // Bob is logged in now (one session per DJS_HOME): he sees himself only.
    expect((await statusJson(home)).body).toMatchObject({ loggedIn: true, email: bob });
    const bobProfile = JSON.parse((await djs(['profile', 'show', '--json'], { home })).stdout) as {
      id: number;
    };
    expect(bobProfile).toMatchObject({ email: bob, firstName: 'Bob' });

    expect((await login(home, ADA, STRONG_PASSWORD)).code).toBe(0);
    expect((await statusJson(home)).body).toMatchObject({ loggedIn: true, email: ADA });
    const adaProfile = JSON.parse((await djs(['profile', 'show', '--json'], { home })).stdout) as {
      id: number;
    };
    expect(adaProfile).toMatchObject({ email: ADA });
    expect(adaProfile.id).not.toBe(bobProfile.id);
    expect(JSON.stringify(adaProfile)).not.toContain('bob');

    // Data for both users, and a Google token for each in the SecretStore.
    const dbid = databaseId(home);
    withDb(
      home,
      (db) => {
        for (const id of [adaProfile.id, bobProfile.id]) {
          db.prepare(
            `INSERT INTO user_google_credentials (user_id, google_email, scopes, linked_at, created_at, updated_at)
             VALUES (?, ?, 'https://www.googleapis.com/auth/drive.file', 'now', 'now', 'now')`,
          ).run(id, `user${id}@gmail.com`);
          db.prepare(
            `INSERT INTO user_search_history (user_id, keywords, location, search_date) VALUES (?, '["rust"]', 'Paris', 'now')`,
          ).run(id);
        }
      },
      false,
    );
    const secretsPath = join(home, 'secrets.json');
    const secrets = JSON.parse(readFileSync(secretsPath, 'utf8')) as Record<string, string>;
    for (const id of [adaProfile.id, bobProfile.id]) {
      secrets[`google:${dbid}:${id}`] = JSON.stringify({
        refresh_token: `refresh-of-${id}`,
        access_token: null,
      });
    }
    writeFileSync(secretsPath, JSON.stringify(secrets), { mode: 0o600 });
    expect((await statusJson(home)).body).toMatchObject({ email: ADA, google: { linked: true } });

    const deleted = await djs(['profile', 'delete', '--yes'], { home, env });
    expect(deleted.code, deleted.stderr).toBe(0);

    const remaining = JSON.parse(readFileSync(secretsPath, 'utf8')) as Record<string, string>;
    expect(remaining[`google:${dbid}:${adaProfile.id}`]).toBeUndefined();
    expect(remaining[`google:${dbid}:${bobProfile.id}`]).toBeDefined();
    expect(remaining[`jwt:${dbid}`]).toBeDefined();
    expect(mode(secretsPath)).toBe(0o600);
    expect(existsSync(join(home, 'session.json'))).toBe(false);

    withDb(home, (db) => {
      const count = (sql: string, ...params: unknown[]): number =>
        (db.prepare(sql).get(...params) as { n: number }).n;
      expect(count('SELECT COUNT(*) AS n FROM users')).toBe(1);
      expect(count('SELECT COUNT(*) AS n FROM users WHERE email = ?', ADA)).toBe(0);
      for (const table of ['sessions', 'user_google_credentials', 'user_search_history']) {
        expect(count(`SELECT COUNT(*) AS n FROM ${table} WHERE user_id = ?`, adaProfile.id), table).toBe(0);
      }
      expect(
        count('SELECT COUNT(*) AS n FROM user_google_credentials WHERE user_id = ?', bobProfile.id),
      ).toBe(1);
      expect(count('SELECT COUNT(*) AS n FROM user_search_history WHERE user_id = ?', bobProfile.id)).toBe(1);
      expect(count('SELECT COUNT(*) AS n FROM login_attempts WHERE email = ?', ADA)).toBe(0);
    });

    expect((await djs(['status'], { home })).code).toBe(4);
    expect((await login(home, ADA, STRONG_PASSWORD)).code).toBe(4);
    expect((await login(home, bob, NEW_PASSWORD)).code).toBe(0);
    expect((await statusJson(home)).body).toMatchObject({
      loggedIn: true,
      email: bob,
      google: { linked: true },
    });
  });
});

describe('concurrent first runs', () => {
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

describe('private files', () => {
  const PRIVATE_FILES = ['djs.db', 'session.json', 'secrets.json'];

  it('a loosened database, session or secrets file is tightened back to 0600, with a warning for each', async () => {
    const home = template.clone();
    for (const name of PRIVATE_FILES) chmodSync(join(home, name), 0o644);
    const status = await djs(['status'], { home });
    expect(status.code, status.stderr).toBe(0);
    for (const name of PRIVATE_FILES) {
      expect(mode(join(home, name)), name).toBe(0o600);
      expect(status.stderr).toContain(`${join(home, name)} was open to other users (mode 0644)`);
    }
    const again = await djs(['status'], { home });
    expect(again.stderr).not.toMatch(/open to other users/);
  });

  it.each(PRIVATE_FILES)('a symbolic link planted as %s is not followed (exit 1)', async (name) => {
    const home = template.clone();
    const elsewhere = join(freshHome(), name);
    renameSync(join(home, name), elsewhere);
    symlinkSync(elsewhere, join(home, name));
    const before = readFileSync(elsewhere);
    const status = await djs(['status'], { home });
    expect(status.code).toBe(1);
    expect(status.stderr).toContain(`${join(home, name)} is a symbolic link`);
    expect(readFileSync(elsewhere).equals(before)).toBe(true);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'a DJS_HOME owned by another user is refused (exit 1), not tightened',
    async () => {
      const home = template.clone();
      chmodSync(home, 0o755);
      chownSync(home, 4321, 4321);
      const status = await djs(['status'], { home });
      expect(status.code).toBe(1);
      expect(status.stderr).toMatch(
        /belongs to another user \(uid 4321\)\. Point DJS_HOME at a folder of your own/,
      );
      expect(mode(home)).toBe(0o755);
    },
  );
});
