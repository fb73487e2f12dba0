/**
 * The bad-input suite (issue 7): every invalid argument, file or page gives a clear message, the right
 * exit code, no stack trace, and — where the command must not change anything — leaves djs.db
 * byte-for-byte as it was. The cases are the table below; each runs in its own copy of a home with
 * one registered, logged-in user.
 */
import { openDatabase } from '../../src/db/database.js';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, registeredHome, runDjs, STRONG_PASSWORD, tempHome } from '../helpers/cli.js';

interface BadInput {
  name: string;
  args: string[];
  input?: string;
  env?: Record<string, string | undefined>;
  /** Prepares the home before the run (damage a file, seed a row …). */
  setup?: (home: string) => void;
  code: number;
  message: RegExp;
  /** Whether djs.db must stay byte-for-byte the same (default true). */
  unchanged?: boolean;
}

const LONG = 'x'.repeat(10_000);
const ANSI = 'Ada\u001b[2J\u001b]0;pwned\u0007';

function tamperJwt(home: string): void {
  const path = join(home, 'session.json');
  const session = JSON.parse(readFileSync(path, 'utf8'));
  const [header, payload, signature] = session.accessToken.split('.');
  const flipped = signature[5] === 'A' ? 'B' : 'A';
  session.accessToken = `${header}.${payload}.${signature.slice(0, 5)}${flipped}${signature.slice(6)}`;
  writeFileSync(path, JSON.stringify(session));
}

function seedPosting(home: string, title: string): void {
  const db = openDatabase(join(home, 'djs.db'));
  db.prepare(
    `INSERT INTO job_postings (user_id, job_id, link, job_title, job_company, job_location, job_description,
       added_at, fetched_at, updated_at)
     VALUES (1, '4400000001', 'https://www.linkedin.com/jobs/view/4400000001/', ?, 'Evil\u001b[31m Corp', 'Berlin',
       'Python and \u001b]8;;http://x\u0007links\u001b]8;;\u0007', 'now', 'now', 'now')`,
  ).run(title);
  db.close();
}

const cases: BadInput[] = [
  // register
  {
    name: 'register: invalid email',
    args: ['register', '--email', 'not-an-email', '--password-stdin'],
    input: `${STRONG_PASSWORD}\n`,
    code: 2,
    message: /not a valid email/,
  },
  {
    name: 'register: email with an escape sequence',
    args: ['register', '--email', `a${ANSI}@b.com`, '--password-stdin'],
    input: `${STRONG_PASSWORD}\n`,
    code: 2,
    message: /not a valid email/,
  },
  {
    name: 'register: 10,000-character email',
    args: ['register', '--email', `${LONG}@b.com`, '--password-stdin'],
    input: `${STRONG_PASSWORD}\n`,
    code: 2,
    message: /not a valid email/,
  },
  {
    name: 'register: short password',
    args: ['register', '--email', 'bob@example.com', '--password-stdin'],
    input: 'Sh0rt!\n',
    code: 2,
    message: /too short/,
  },
  {
    name: 'register: password with one character class',
    args: ['register', '--email', 'bob@example.com', '--password-stdin'],
    input: 'onlylowercaseletters\n',
    code: 2,
    message: /too weak/,
  },
  {
    name: 'register: password is the email',
    args: ['register', '--email', 'Bob.Smith1@example.com', '--password-stdin'],
    input: 'Bob.Smith1@example.com\n',
    code: 2,
    message: /must not be your email/,
  },
  {
    name: 'register: duplicate email',
    args: ['register', '--email', 'ADA@example.com ', '--password-stdin'],
    input: `${STRONG_PASSWORD}\n`,
    code: 2,
    message: /already exists/,
  },
  {
    name: 'register: no --email off a terminal',
    args: ['register', '--password-stdin'],
    input: `${STRONG_PASSWORD}\n`,
    code: 2,
    message: /--email/,
  },
  {
    name: 'register: --password-stdin with nothing on stdin',
    args: ['register', '--email', 'bob@example.com', '--password-stdin'],
    input: '',
    code: 2,
    message: /password on standard input/,
  },
  {
    name: 'register: 10,000-character first name',
    args: ['register', '--email', 'bob@example.com', '--first-name', LONG, '--password-stdin'],
    input: `${STRONG_PASSWORD}\n`,
    code: 2,
    message: /longer than 100/,
  },
  {
    name: 'register: control characters in a name',
    args: ['register', '--email', 'bob@example.com', '--last-name', ANSI, '--password-stdin'],
    input: `${STRONG_PASSWORD}\n`,
    code: 2,
    message: /control characters/,
  },
  {
    name: 'register: the keychain is unreachable (fails before the account exists)',
    args: ['register', '--email', 'bob@example.com', '--password-stdin'],
    input: `${STRONG_PASSWORD}\n`,
    env: { DJS_SECRET_STORE: 'keychain', DBUS_SESSION_BUS_ADDRESS: undefined, XDG_RUNTIME_DIR: undefined },
    code: 1,
    message: /DJS_SECRET_STORE=file/,
  },
  // login and logout
  {
    name: 'login: wrong password',
    args: ['login', '--email', 'ada@example.com', '--password-stdin'],
    input: 'Wrong-Passw0rd!\n',
    code: 4,
    message: /Wrong email or password/,
    unchanged: false,
  },
  {
    name: 'login: unknown email',
    args: ['login', '--email', 'nobody@example.com', '--password-stdin'],
    input: `${STRONG_PASSWORD}\n`,
    code: 4,
    message: /Wrong email or password/,
    unchanged: false,
  },
  {
    name: 'login: no --password-stdin off a terminal',
    args: ['login', '--email', 'ada@example.com'],
    code: 2,
    message: /--password-stdin/,
  },
  {
    name: 'login: SQL in the email',
    args: ['login', '--email', "' OR 1=1 --", '--password-stdin'],
    input: `${STRONG_PASSWORD}\n`,
    code: 2,
    message: /not a valid email/,
  },
  {
    name: 'logout: no session',
    args: ['logout'],
    setup: (home) => rmSync(join(home, 'session.json')),
    code: 2,
    message: /no active session/,
  },
  // the session file
  {
    name: 'status: corrupted session.json',
    args: ['status'],
    setup: (home) => writeFileSync(join(home, 'session.json'), '{"accessToken": tru'),
    code: 4,
    message: /session file is not valid/,
  },
  {
    name: 'status: session.json with an altered JWT',
    args: ['status'],
    setup: tamperJwt,
    code: 4,
    message: /session file is not valid/,
  },
  {
    name: 'status: session.json holding an empty object',
    args: ['status'],
    setup: (home) => writeFileSync(join(home, 'session.json'), '{}'),
    code: 4,
    message: /session file is not valid/,
  },
  {
    name: 'status: a foreign JWT_SECRET_KEY',
    args: ['status'],
    env: { JWT_SECRET_KEY: 'k'.repeat(40) },
    code: 4,
    message: /session file is not valid/,
  },
  {
    name: 'status: JWT_SECRET_KEY too short',
    args: ['status'],
    env: { JWT_SECRET_KEY: 'short' },
    code: 2,
    message: /at least 32 characters/,
  },
  {
    name: 'status: JWT lifetime that is not a number',
    args: ['login', '--email', 'ada@example.com', '--password-stdin'],
    input: `${STRONG_PASSWORD}\n`,
    env: { JWT_ACCESS_TOKEN_EXPIRE_MINUTES: 'soon' },
    code: 2,
    message: /JWT_ACCESS_TOKEN_EXPIRE_MINUTES must be a positive number/,
    unchanged: false,
  },
  {
    name: 'status: unknown DJS_SECRET_STORE',
    args: ['status'],
    env: { DJS_SECRET_STORE: 'vault' },
    code: 2,
    message: /"keychain" or "file"/,
  },
  {
    name: 'status: djs.db is not a database',
    args: ['status'],
    setup: (home) => writeFileSync(join(home, 'djs.db'), 'garbage '.repeat(1000)),
    code: 1,
    message: /damaged or is not a djs database/,
  },
  {
    // Node's own recursive mkdir retried this forever at full CPU (the parent exists, the folder cannot be).
    name: 'status: a DJS_HOME that cannot be created although its parent exists',
    args: ['status'],
    env: { DJS_HOME: '/proc/djs-nonexistent' },
    code: 1,
    message:
      /Cannot create the folder \/proc\/djs-nonexistent there\. Point DJS_HOME at a folder you can write\./,
  },
  {
    name: 'status: a DJS_HOME that is not a folder',
    args: ['status'],
    env: { DJS_HOME: '/dev/null' },
    code: 1,
    message: /\/dev\/null is not a folder\. Point DJS_HOME at a folder\./,
  },
  // profile
  {
    name: 'profile update: invalid email',
    args: ['profile', 'update', '--email', 'nope'],
    code: 2,
    message: /not a valid email/,
  },
  {
    name: 'profile update: escape sequences in a name',
    args: ['profile', 'update', '--first-name', ANSI],
    code: 2,
    message: /control characters/,
  },
  {
    name: 'profile update: nothing to change off a terminal',
    args: ['profile', 'update'],
    code: 2,
    message: /at least one of/,
  },
  {
    name: 'profile password: wrong current password',
    args: ['profile', 'password', '--password-stdin'],
    input: `Wrong-Passw0rd!\nAn0ther-Str0ng-One\n`,
    code: 4,
    message: /current password is wrong/,
  },
  {
    name: 'profile password: weak new password',
    args: ['profile', 'password', '--password-stdin'],
    input: `${STRONG_PASSWORD}\nweak\n`,
    code: 2,
    message: /too short/,
  },
  { name: 'profile delete: no --yes off a terminal', args: ['profile', 'delete'], code: 2, message: /--yes/ },
  // `profile` alone means `profile show`, so an unknown word is an argument show does not take.
  {
    name: 'profile: unknown subcommand',
    args: ['profile', 'explode'],
    code: 2,
    message: /too many arguments for 'show'/,
  },
  // update-db
  {
    name: 'update-db: a query without a location',
    args: ['update-db', '-q', 'python'],
    code: 2,
    message: /-l\/--location/,
  },
  {
    name: 'update-db: an empty query',
    args: ['update-db', '-q', '  ', '-l', 'Berlin'],
    code: 2,
    message: /query is empty/,
  },
  {
    name: 'update-db: a 10,000-character query',
    args: ['update-db', '-q', LONG, '-l', 'Berlin'],
    code: 2,
    message: /longer than 200/,
  },
  {
    name: 'update-db: ANSI escapes in a location',
    args: ['update-db', '-q', 'python', '-l', ANSI],
    code: 2,
    message: /control characters/,
  },
  {
    name: 'update-db: --per-search 0',
    args: ['update-db', '-q', 'python', '-l', 'Berlin', '--per-search', '0'],
    code: 2,
    message: /whole number from 1 to 1000/,
  },
  {
    name: 'update-db: --since yesterday',
    args: ['update-db', '-q', 'python', '-l', 'Berlin', '--since', 'yesterday'],
    code: 2,
    message: /Allowed choices are 24h, week, month/,
  },
  {
    name: 'update-db: --job-type gig',
    args: ['update-db', '-q', 'python', '-l', 'Berlin', '--job-type', 'gig'],
    code: 2,
    message: /Allowed choices/,
  },
  {
    name: 'update-db: --concurrency 99',
    args: ['update-db', '-q', 'python', '-l', 'Berlin', '--concurrency', '99'],
    code: 2,
    message: /from 1 to 16/,
  },
  {
    name: 'update-db: DJS_RATE_LIMIT=-5',
    args: ['update-db', '-q', 'python', '-l', 'Berlin'],
    env: { DJS_RATE_LIMIT: '-5' },
    code: 2,
    message: /DJS_RATE_LIMIT must be a whole number/,
  },
  {
    name: 'update-db: DJS_LINKEDIN_URL=ftp://…',
    args: ['update-db', '-q', 'python', '-l', 'Berlin'],
    env: { DJS_LINKEDIN_URL: 'ftp://example.com' },
    code: 2,
    message: /must be an http\(s\) URL/,
  },
  { name: 'update-db: no saved searches', args: ['update-db'], code: 2, message: /no saved searches/ },
  // search and jobs
  { name: 'search: no keyword', args: ['search'], code: 2, message: /keyword/ },
  {
    name: 'search: --limit 0',
    args: ['search', 'python', '--limit', '0'],
    code: 2,
    message: /limit|whole number/,
  },
  {
    name: 'search: unknown --status',
    args: ['search', 'python', '--status', 'ghosted'],
    code: 2,
    message: /status/,
  },
  { name: 'jobs show: unknown job id', args: ['jobs', 'show', '9999999999'], code: 2, message: /9999999999/ },
  {
    name: 'jobs show: SQL as a job id',
    args: ['jobs', 'show', "'; DROP TABLE job_postings; --"],
    code: 2,
    message: /job/,
  },
  {
    name: 'jobs set-status: unknown status',
    args: ['jobs', 'set-status', '4400000001', 'ghosted'],
    setup: (home) => seedPosting(home, 'Engineer'),
    code: 2,
    message: /ghosted/,
  },
  {
    name: 'jobs set-status: unknown job id',
    args: ['jobs', 'set-status', '9999999999', 'applied'],
    code: 2,
    message: /9999999999/,
  },
  // sheets, schedule, completion, global
  {
    name: 'sheets link: a malformed spreadsheet URL',
    args: ['sheets', 'link', 'https://docs.google.com/spreadsheets/d/!!!/edit'],
    code: 2,
    message: /spreadsheet/i,
  },
  {
    name: 'sheets use: a malformed spreadsheet id',
    args: ['sheets', 'use', 'not an id!'],
    code: 2,
    message: /spreadsheet/i,
  },
  {
    name: 'sheets list: no Google link yet',
    args: ['sheets', 'list'],
    code: 4,
    message: /djs login --google/,
  },
  {
    name: 'schedule install: minute 61',
    args: ['schedule', 'install', '--cron', '61 * * * *'],
    code: 2,
    message: /Invalid cron expression/,
  },
  {
    name: 'schedule install: a 6-field expression',
    args: ['schedule', 'install', '--cron', '0 0 7 * * *'],
    code: 2,
    message: /5-field cron expression/,
  },
  {
    name: 'completion: unknown shell',
    args: ['completion', 'powershell'],
    code: 2,
    message: /bash, zsh or fish/,
  },
  { name: 'an unknown command', args: ['explode'], code: 2, message: /unknown command/ },
  { name: 'an unknown option', args: ['status', '--explode'], code: 2, message: /unknown option/ },
];

function dbHash(home: string): string | null {
  const path = join(home, 'djs.db');
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : null;
}

describe('bad input', () => {
  let homes: Awaited<ReturnType<typeof registeredHome>>;
  beforeAll(async () => {
    homes = await registeredHome();
  });
  afterAll(() => homes.cleanup());

  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  for (const testCase of cases) {
    it(testCase.name, async () => {
      const home = homes.clone();
      testCase.setup?.(home);
      const before = dbHash(home);
      const result = await runDjs(testCase.args, {
        home,
        input: testCase.input,
        // Never reach the real LinkedIn or Google, whatever a case gets past validation.
        env: {
          DJS_LINKEDIN_URL: 'http://127.0.0.1:9',
          DJS_GOOGLE_API_URL: 'http://127.0.0.1:9',
          ...testCase.env,
        },
      });
      expectNoStackTrace(result);
      expect(result.stderr).toMatch(testCase.message);
      expect(result.code, result.stderr).toBe(testCase.code);
      // A clear message: short, and no raw escape sequence echoed back to the terminal.
      expect(
        result.stderr
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('error:')),
      ).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\u001b\]|\u001b\[2J/);
      if (testCase.unchanged !== false) expect(dbHash(home)).toBe(before);
    });
  }

  it('strips escape sequences from scraped text in search and jobs show', async () => {
    const home = homes.clone();
    seedPosting(home, `Python dev\u001b[2J\u001b]0;owned\u0007 (remote)`);
    for (const args of [
      ['search', 'python'],
      ['jobs', 'show', '4400000001'],
    ]) {
      const result = await runDjs(args, { home });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Python dev');
      expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    }
  });
});

const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
if (!canMount) console.warn('not root or no mount: skipping the read-only and full-disk cases');

describe.skipIf(!canMount)('bad places to keep data', () => {
  const mounts: string[] = [];
  afterAll(() => {
    for (const dir of mounts) spawnSync('umount', [dir]);
  });
  const mount = (options: string): string => {
    const { home } = tempHome('djs-mount-');
    const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', home]);
    if (result.status !== 0) throw new Error(`mount failed: ${result.stderr}`);
    mounts.push(home);
    return home;
  };

  it('a read-only DJS_HOME: clear message, exit 1', async () => {
    const home = mount('ro,size=1m');
    const result = await runDjs(['register', '--email', 'ro@example.com', '--password-stdin'], {
      home,
      input: `${STRONG_PASSWORD}\n`,
    });
    expectNoStackTrace(result);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/read-only|Cannot write the database/);
  });

  it('a read-only database: searching works (history skipped, said under --verbose); a change says why it fails', async () => {
    const home = mount('size=4m');
    const registered = await runDjs(['register', '--email', 'ro@example.com', '--password-stdin'], {
      home,
      input: `${STRONG_PASSWORD}\n`,
    });
    expect(registered.code, registered.stderr).toBe(0);
    seedPosting(home, 'Python developer');
    const remount = spawnSync('mount', ['-o', 'remount,ro', home]);
    if (remount.status !== 0) throw new Error(`remount failed: ${remount.stderr}`);

    const search = await runDjs(['search', 'python', '--verbose'], { home });
    expectNoStackTrace(search);
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toContain('Python developer');
    expect(search.stderr).toContain('not added to the history: the database is read-only');
    for (const args of [['jobs', 'show', '4400000001'], ['status'], ['search', '--history']]) {
      const result = await runDjs(args, { home });
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }

    const update = await runDjs(['profile', 'update', '--first-name', 'Ada'], { home });
    expectNoStackTrace(update);
    expect(update.code).toBe(1);
    expect(update.stderr).toMatch(/The database is read-only, so this command cannot save anything/);
  });

  it('a full disk: clear message, exit 1, and the database that was there still opens', async () => {
    const home = mount('size=48k');
    const first = await runDjs(['register', '--email', 'full@example.com', '--password-stdin'], {
      home,
      input: `${STRONG_PASSWORD}\n`,
    });
    expectNoStackTrace(first);
    if (first.code === 0) {
      // The account fitted: fill the rest of the disk, then try to write more.
      mkdirSync(join(home, 'filler'));
      spawnSync('dd', ['if=/dev/zero', `of=${join(home, 'filler', 'zeros')}`, 'bs=4k', 'count=100']);
      const update = await runDjs(['profile', 'update', '--first-name', 'y'.repeat(100)], { home });
      expectNoStackTrace(update);
      expect(update.code).not.toBe(0);
      expect(update.stderr).toMatch(/disk is full|Cannot write|full/i);
      rmSync(join(home, 'filler'), { recursive: true });
      expect((await runDjs(['status'], { home })).code).toBe(0);
    } else {
      expect(first.code).toBe(1);
      expect(first.stderr).toMatch(/disk is full|Cannot write|full/i);
    }
  });
});
