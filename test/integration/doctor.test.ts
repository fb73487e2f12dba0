import { chmodSync, openSync, writeSync, closeSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../src/fakes/google-server.js';
import { startFakeLinkedIn, type FakeLinkedIn } from '../../src/fakes/linkedin-server.js';
import { expectNoStackTrace, registeredHome, runDjs } from '../helpers/cli.js';
import { AUTO_APPROVE_BROWSER, databaseIdOf, googleEnv } from '../helpers/google.js';
import { insertPosting } from '../helpers/postings.js';
import { openDatabase } from '../../src/db/database.js';

interface Check {
  check: string;
  state: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

describe('djs doctor', () => {
  let google: FakeGoogle;
  let linkedin: FakeLinkedIn;
  let homes: Awaited<ReturnType<typeof registeredHome>>;
  const env = () => ({ ...googleEnv(google), DJS_LINKEDIN_URL: linkedin.url });

  beforeAll(async () => {
    google = await startFakeGoogle();
    linkedin = await startFakeLinkedIn();
    homes = await registeredHome();
  });
  afterAll(async () => {
    homes.cleanup();
    await google.close();
    await linkedin.close();
  });

  const doctor = async (home: string, extra: Record<string, string | undefined> = {}) => {
    const result = await runDjs(['doctor', '--json'], { home, env: { ...env(), ...extra } });
    expectNoStackTrace(result);
    return { code: result.code, checks: JSON.parse(result.stdout) as Check[] };
  };
  const find = (checks: Check[], name: string) => checks.find((c) => c.check === name)!;

  it('passes every check on a healthy, linked account (the schedule is only a suggestion)', async () => {
    const home = homes.clone();
    const linked = await runDjs(['login', '--google'], {
      home,
      env: { ...env(), BROWSER: AUTO_APPROVE_BROWSER },
    });
    expect(linked.code).toBe(0);
    const { code, checks } = await doctor(home);
    expect(checks.map((c) => c.check)).toEqual([
      'node',
      'private files',
      'database',
      'search index',
      'secret store',
      'google client',
      'session',
      'google token',
      'linkedin',
      'google',
      'schedule',
    ]);
    expect(checks.filter((c) => c.state === 'fail')).toEqual([]);
    expect(find(checks, 'google token').state).toBe('ok');
    expect(code).toBe(0);
  });

  it('warns when the data folder or its files are open to other users, with the chmod that fixes it', async () => {
    const home = homes.clone();
    expect(find((await doctor(home)).checks, 'private files')).toMatchObject({ state: 'ok' });
    chmodSync(home, 0o755);
    chmodSync(join(home, 'session.json'), 0o644);
    const check = find((await doctor(home)).checks, 'private files');
    expect(check.state).toBe('warn');
    expect(check.detail).toContain(`${home} (755)`);
    expect(check.detail).toContain(`${join(home, 'session.json')} (644)`);
    expect(check.fix).toContain(`chmod 700 ${home} && chmod 600 ${join(home, 'session.json')}`);
  });

  it('reports an unreachable keychain with its fix', async () => {
    const home = homes.clone();
    const { code, checks } = await doctor(home, {
      DJS_SECRET_STORE: 'keychain',
      DBUS_SESSION_BUS_ADDRESS: undefined,
      XDG_RUNTIME_DIR: undefined,
    });
    expect(code).toBe(1);
    expect(find(checks, 'secret store')).toMatchObject({ state: 'fail' });
    expect(find(checks, 'secret store').fix).toMatch(/DJS_SECRET_STORE=file/);
    expect(find(checks, 'node').state).toBe('ok');
  });

  it('reports a corrupt database with its fix', async () => {
    const home = homes.clone();
    const path = join(home, 'djs.db');
    // Scribble over the middle of the file, past the header, where the tables' pages are: a whole page, as
    // most of a 16 KB page can be unused space, where scribbles go unnoticed.
    const fd = openSync(path, 'r+');
    const size = statSync(path).size;
    const pageSize = readFileSync(path).readUInt16BE(16);
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, Math.floor(size / 2 / pageSize) * pageSize);
    closeSync(fd);
    const { code, checks } = await doctor(home);
    expect(code).toBe(1);
    expect(find(checks, 'database').state).toBe('fail');
    expect(find(checks, 'database').fix).toMatch(/Move .*djs\.db aside/);
  });

  it('reports an expired Google link with its fix', async () => {
    const home = homes.clone();
    expect(
      (await runDjs(['login', '--google'], { home, env: { ...env(), BROWSER: AUTO_APPROVE_BROWSER } })).code,
    ).toBe(0);
    // The cached access token has expired and Google no longer honours the refresh token.
    const secretsPath = join(home, 'secrets.json');
    const secrets = JSON.parse(readFileSync(secretsPath, 'utf8'));
    const account = `google:${databaseIdOf(home)}:1`;
    secrets[account] = JSON.stringify({ ...JSON.parse(secrets[account]), expiry_date: Date.now() - 1000 });
    writeFileSync(secretsPath, JSON.stringify(secrets));
    google.setOptions({ invalidGrant: true });
    try {
      const { code, checks } = await doctor(home);
      expect(code).toBe(1);
      expect(find(checks, 'google token').state).toBe('fail');
      expect(find(checks, 'google token').detail).toMatch(/expired or was revoked/);
      expect(find(checks, 'google token').fix).toMatch(/djs login --google/);
    } finally {
      google.setOptions({ invalidGrant: false });
    }
  });

  it('prints one line per check with the fix under each failure', async () => {
    const home = homes.clone();
    const result = await runDjs(['doctor'], {
      home,
      env: { ...env(), DJS_LINKEDIN_URL: 'http://127.0.0.1:9' },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ linkedin\s+http:\/\/127\.0\.0\.1:9 is not reachable/);
    expect(result.stdout).toMatch(/→ Check your network/);
    expect(result.stderr).toMatch(/1 check failed/);
  });

  it('reports a fragmented search index on 4 KB pages, and --fix merges it and rewrites the file', async () => {
    const home = homes.clone();
    const path = join(home, 'djs.db');
    // A database made before 16 KB pages, filled one posting per transaction as update-db stores them,
    // with FTS5's merging held back so that the segments pile up as in a long collection.
    const raw = new Database(path);
    raw.pragma('journal_mode = DELETE');
    raw.pragma('page_size = 4096');
    raw.exec('VACUUM');
    raw.pragma('journal_mode = WAL');
    raw.close();
    const db = openDatabase(path);
    for (const index of ['job_postings_trigram', 'job_postings_phrases', 'job_postings_words_1']) {
      db.exec(`INSERT INTO ${index} (${index}, rank) VALUES ('automerge', 0)`);
      db.exec(`INSERT INTO ${index} (${index}, rank) VALUES ('crisismerge', 2000)`);
    }
    for (let i = 0; i < 70; i++) {
      const description = `Posting ${i}: ${i % 3 === 0 ? 'Python and Go' : 'Rust'}, nice to have: node.js.`;
      insertPosting(db, 1, { jobId: String(4000 + i), title: `Engineer ${i}`, description }, '2025-05-01');
    }
    db.close();
    const search = async () =>
      (await runDjs(['search', 'python', 'node.js', 'go', '--json'], { home, env: env() })).stdout;
    const before = await search();
    expect(before).toMatch(/"title": "Engineer \d+"/);

    const unhealthy = find((await doctor(home)).checks, 'search index');
    expect(unhealthy.state).toBe('warn');
    expect(unhealthy.detail).toMatch(/more than 64 segments/);
    expect(unhealthy.detail).toMatch(/4 KB pages/);
    expect(unhealthy.fix).toMatch(/djs doctor --fix/);

    const fixed = await runDjs(['doctor', '--fix', '--json'], { home, env: env() });
    expectNoStackTrace(fixed);
    expect(fixed.stderr).toMatch(/search indexes merged and database file rewritten/);
    const healthy = find(JSON.parse(fixed.stdout) as Check[], 'search index');
    expect(healthy).toMatchObject({ state: 'ok' });
    expect(healthy.detail).toMatch(/^1 \+ 1 \+ 1 \+ 1 segments, 16 KB pages/);
    const after = new Database(path, { readonly: true });
    expect(after.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(after.prepare('SELECT count(*) FROM job_postings').pluck().get()).toBe(70);
    after.close();
    expect(await search()).toBe(before);
  });
});
