import { chmodSync, openSync, writeSync, closeSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../src/fakes/google-server.js';
import { startFakeLinkedIn, type FakeLinkedIn } from '../../src/fakes/linkedin-server.js';
import { expectNoStackTrace, registeredHome, runDjs } from '../helpers/cli.js';
import { AUTO_APPROVE_BROWSER, databaseIdOf, googleEnv } from '../helpers/google.js';

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
    // Scribble over the middle of the file, past the header, where the tables' pages are.
    const fd = openSync(path, 'r+');
    const size = statSync(path).size;
    writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
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
});
