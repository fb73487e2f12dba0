import keytar from 'keytar';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../src/fakes/google-server.js';
import { baseEnv, DJS_BIN, expectNoStackTrace, registeredHome, runDjs } from '../helpers/cli.js';
import {
  AUTO_APPROVE_BROWSER,
  databaseBytes,
  databaseIdOf,
  fileSecrets,
  googleEnv,
  googleRows,
} from '../helpers/google.js';

/** Listening TCP sockets on a port, from /proc: [local address hex, state]. Reads the kernel, sends nothing. */
function listenersOn(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A')
      .map((fields) => fields[1]!),
  );
}

describe('djs login --google against the Google fake', () => {
  let fake: FakeGoogle;
  let homes: Awaited<ReturnType<typeof registeredHome>>;

  beforeAll(async () => {
    homes = await registeredHome();
  });
  afterAll(() => homes.cleanup());
  afterEach(async () => fake?.close());

  const linkGoogle = (home: string, args: string[] = [], env: Record<string, string> = {}) =>
    runDjs(['login', '--google', ...args], {
      home,
      env: { ...googleEnv(fake), BROWSER: AUTO_APPROVE_BROWSER, ...env },
    });

  it('links with an auto-approving browser: token in the SecretStore, nowhere in djs.db, status shows it', async () => {
    fake = await startFakeGoogle();
    const home = homes.clone();
    const result = await linkGoogle(home);
    expectNoStackTrace(result);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Google is connected');

    const [refreshToken] = fake.issuedRefreshTokens;
    expect(refreshToken).toBeTruthy();
    const secrets = fileSecrets(home);
    const account = `google:${databaseIdOf(home)}:1`;
    expect(JSON.parse(secrets[account]!).refresh_token).toBe(refreshToken);
    expect(databaseBytes(home)).not.toContain(refreshToken!);
    expect(googleRows(home)).toEqual([
      expect.objectContaining({ user_id: 1, scopes: 'https://www.googleapis.com/auth/drive.file' }),
    ]);

    // What went to Google: PKCE S256, offline access, forced consent, drive.file only, a loopback redirect.
    const authorize = fake.requests.find((r) => r.path === '/o/oauth2/v2/auth')!;
    expect(authorize.query).toMatchObject({
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
      scope: 'https://www.googleapis.com/auth/drive.file',
      response_type: 'code',
    });
    expect(authorize.query.redirect_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(authorize.query.state!.length).toBeGreaterThanOrEqual(32);

    const status = await runDjs(['status', '--json'], { home });
    expect(JSON.parse(status.stdout).google.linked).toBe(true);
  });

  it('logout --forget-google revokes at Google and leaves no secret behind', async () => {
    fake = await startFakeGoogle();
    const home = homes.clone();
    expect((await linkGoogle(home)).code).toBe(0);
    const [refreshToken] = fake.issuedRefreshTokens;
    const result = await runDjs(['logout', '--forget-google'], { home, env: googleEnv(fake) });
    expect(result.code).toBe(0);
    expect(fake.revokedTokens).toEqual([refreshToken]);
    expect(Object.keys(fileSecrets(home)).filter((key) => key.startsWith('google:'))).toEqual([]);
    expect(googleRows(home)).toEqual([]);
    expect((await runDjs(['status'], { home })).code).toBe(4);
  });

  it('profile delete revokes the Google token too', async () => {
    fake = await startFakeGoogle();
    const home = homes.clone();
    expect((await linkGoogle(home)).code).toBe(0);
    const result = await runDjs(['profile', 'delete', '--yes'], { home, env: googleEnv(fake) });
    expect(result.code).toBe(0);
    expect(fake.revokedTokens).toEqual(fake.issuedRefreshTokens);
    expect(Object.keys(fileSecrets(home)).filter((key) => key.startsWith('google:'))).toEqual([]);
  });

  const failures: Array<{
    name: string;
    setup: (fake: FakeGoogle) => void;
    args?: string[];
    code: number;
    message: RegExp;
  }> = [
    {
      // Ignored like any stray request to the loopback port, so the wait runs out.
      name: 'a wrong state',
      setup: (f) => f.setOptions({ authorize: 'wrong-state' }),
      args: ['--timeout', '5'],
      code: 4,
      message: /timed out after 5 s; no token was stored \(1 request with a state that did not match/,
    },
    {
      name: 'error=access_denied',
      setup: (f) => f.setOptions({ authorize: 'deny' }),
      code: 4,
      message: /access was denied/,
    },
    {
      name: 'a verifier that does not match',
      setup: (f) => f.setOptions({ challengeMismatch: true }),
      code: 4,
      message: /No token was stored/,
    },
    {
      name: 'a timeout',
      setup: (f) => f.setOptions({ authorize: 'hang' }),
      args: ['--timeout', '5'],
      code: 4,
      message: /timed out after 5 s/,
    },
  ];
  for (const failure of failures) {
    it(`ends with a clear message, no token and exit ${failure.code} on ${failure.name}`, async () => {
      fake = await startFakeGoogle();
      failure.setup(fake);
      const home = homes.clone();
      const result = await linkGoogle(home, failure.args);
      expectNoStackTrace(result);
      expect(result.code).toBe(failure.code);
      expect(result.stderr).toMatch(failure.message);
      expect(Object.keys(fileSecrets(home)).filter((key) => key.startsWith('google:'))).toEqual([]);
      expect(googleRows(home)).toEqual([]);
      const redirect = new URL(
        fake.requests.find((r) => r.path === '/o/oauth2/v2/auth')!.query.redirect_uri!,
      );
      // The loopback receiver is closed: nothing listens on its port any more.
      expect(listenersOn(Number(redirect.port))).toEqual([]);
    });
  }

  it('says so when the chosen port is taken, and stores nothing', async () => {
    fake = await startFakeGoogle();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const home = homes.clone();
      const result = await linkGoogle(home, ['--port', String(port)]);
      expectNoStackTrace(result);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`Port ${port} .*already in use`));
      expect(fake.requests).toHaveLength(0);
      expect(googleRows(home)).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  /** Starts `djs login --google` in the background and reads the loopback redirect URI from the URL it prints. */
  async function startLinking(home: string, args: string[] = []) {
    const child = spawn(process.execPath, [DJS_BIN, 'login', '--google', ...args], {
      env: { ...baseEnv(home), ...googleEnv(fake), BROWSER: AUTO_APPROVE_BROWSER },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, stdout, stderr })),
    );
    const deadline = Date.now() + 10_000;
    while (!/redirect_uri=/.test(stderr) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const authUrl = new URL(stderr.match(/(http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?\S+)/)![1]!);
    return { child, exited, redirectUri: new URL(authUrl.searchParams.get('redirect_uri')!) };
  }

  it('listens on 127.0.0.1 only while it waits', async () => {
    fake = await startFakeGoogle({ authorize: 'hang' });
    const { child, redirectUri } = await startLinking(homes.clone(), ['--timeout', '20']);
    try {
      const port = Number(redirectUri.port);
      // 0100007F is 127.0.0.1 in /proc's little-endian hex; 0.0.0.0 would be 00000000.
      expect(listenersOn(port)).toEqual([`0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`]);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('answers stray requests to the callback with 400 and keeps waiting for the real redirect', async () => {
    // The browser's redirect comes 2 s late, so the stray requests arrive first.
    fake = await startFakeGoogle({ authorizeDelayMs: 2000 });
    const home = homes.clone();
    const { child, exited, redirectUri } = await startLinking(home, ['--timeout', '20']);
    try {
      for (const query of [
        '',
        '?code=4/forged&state=forged',
        '?error=access_denied',
        '?error=access_denied&state=',
      ]) {
        const stray = await fetch(new URL(`${redirectUri.pathname}${query}`, redirectUri));
        expect(stray.status, query).toBe(400);
      }
      const result = await exited;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('Google is connected');
      const secrets = fileSecrets(home);
      expect(JSON.parse(secrets[`google:${databaseIdOf(home)}:1`]!).refresh_token).toBe(
        fake.issuedRefreshTokens[0],
      );
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('needs a configured OAuth client and says how to create one (exit 4)', async () => {
    fake = await startFakeGoogle();
    const home = homes.clone();
    const result = await linkGoogle(home, [], { GOOGLE_CLIENT_ID: '', GOOGLE_CLIENT_SECRET: '' });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/Desktop app/);
    expect(fake.requests).toHaveLength(0);
  });

  it('accepts a client secret file, remembers only its path, and rejects a bad one with exit 2', async () => {
    fake = await startFakeGoogle();
    const home = homes.clone();
    const { writeFileSync } = await import('node:fs');
    const good = `${home}/client_secret.json`;
    writeFileSync(
      good,
      JSON.stringify({
        installed: {
          client_id: 'test-client-id.apps.googleusercontent.com',
          client_secret: 'test-client-secret',
        },
      }),
    );
    const bad = `${home}/web_client.json`;
    writeFileSync(bad, JSON.stringify({ web: { client_id: 'x', client_secret: 'y' } }));
    const env = { GOOGLE_CLIENT_ID: '', GOOGLE_CLIENT_SECRET: '' };

    const rejected = await linkGoogle(home, ['--client-secret-file', bad], env);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/Desktop app/);

    const linked = await linkGoogle(home, ['--client-secret-file', good], env);
    expect(linked.code).toBe(0);
    const config = readFileSync(`${home}/config.json`, 'utf8');
    expect(JSON.parse(config)).toEqual({ googleClientSecretFile: good });
    expect(config).not.toContain('test-client-secret');
  });

  it('requires a djs login first (exit 4)', async () => {
    fake = await startFakeGoogle();
    const { tempHome } = await import('../helpers/cli.js');
    const { home, cleanup } = tempHome();
    try {
      const result = await linkGoogle(home);
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/not logged in/);
    } finally {
      cleanup();
    }
  });

  describe.skipIf(!process.env.DJS_KEYCHAIN_AVAILABLE)('with the real OS keychain', () => {
    it('keeps the refresh token in the Secret Service, not in files or the database', async () => {
      fake = await startFakeGoogle();
      const home = homes.clone();
      // This clone's JWT key lives in its secrets.json; move it into the keychain so the session still verifies.
      const account = `jwt:${databaseIdOf(home)}`;
      await keytar.setPassword('dream-job-search', account, fileSecrets(home)[account]!);
      try {
        const result = await linkGoogle(home, [], { DJS_SECRET_STORE: 'keychain' });
        expect(result.stderr).not.toMatch(/error/);
        expect(result.code).toBe(0);
        const googleAccount = `google:${databaseIdOf(home)}:1`;
        const stored = await keytar.getPassword('dream-job-search', googleAccount);
        expect(JSON.parse(stored!).refresh_token).toBe(fake.issuedRefreshTokens[0]);
        expect(fileSecrets(home)[googleAccount]).toBeUndefined();
        expect(databaseBytes(home)).not.toContain(fake.issuedRefreshTokens[0]!);

        const forgotten = await runDjs(['logout', '--forget-google'], {
          home,
          env: { ...googleEnv(fake), DJS_SECRET_STORE: 'keychain' },
        });
        expect(forgotten.code).toBe(0);
        expect(await keytar.getPassword('dream-job-search', googleAccount)).toBeNull();
      } finally {
        await keytar.deletePassword('dream-job-search', account);
      }
    });
  });
});
