import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { AuthError, UsageError } from '../../src/core/errors.js';
import { databaseId, openDatabase, type Db } from '../../src/db/database.js';
import { FileSecretStore } from '../../src/secrets/file-store.js';
import { secretAccounts } from '../../src/secrets/secret-store.js';
import { SessionFile, type SessionFileState } from '../../src/accounts/session-file.js';
import { hashToken, SessionService, sessionLifetimes } from '../../src/accounts/sessions.js';

const MINUTE = 60_000;
const KEY_A = 'a'.repeat(16) + 'B'.repeat(16) + '-key-A';
const KEY_B = 'c'.repeat(16) + 'D'.repeat(16) + '-key-B';

let dir: string;
let db: Db;
let clock: FakeClock;
let secrets: FileSecretStore;
let file: SessionFile;
let userId: number;

function seedUser(database: Db, email: string): number {
  const now = new Date().toISOString();
  const { lastInsertRowid } = database
    .prepare('INSERT INTO users (email, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?)')
    .run(email, '$2b$12$not-a-real-hash', now, now);
  return Number(lastInsertRowid);
}

function service(
  env: NodeJS.ProcessEnv = {},
  sessionFile: SessionFile = file,
  database: Db = db,
): SessionService {
  return new SessionService({ db: database, secrets: async () => secrets, clock, env, file: sessionFile });
}

const fileText = (): string => readFileSync(file.path, 'utf8');
const tokens = (): { accessToken: string; refreshToken: string } => JSON.parse(fileText());

function sessionRow(id: string): {
  refresh_token_hash: string;
  revoked_at: string | null;
  revoke_reason: string | null;
} {
  return db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as never;
}

async function authError(promise: Promise<unknown>, pattern?: RegExp): Promise<AuthError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  if (pattern) expect((error as Error).message).toMatch(pattern);
  return error as AuthError;
}

/** Changes one character in the middle of a JWT part (not the last one, whose low bits base64url may ignore). */
function alterPart(jwt: string, part: 0 | 1 | 2): string {
  const parts = jwt.split('.');
  const text = parts[part]!;
  const i = Math.floor(text.length / 2);
  parts[part] = text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
  return parts.join('.');
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'djs-sessions-'));
  db = openDatabase(join(dir, 'djs.db'));
  clock = new FakeClock(Date.parse('2030-01-15T09:00:00.000Z'));
  secrets = new FileSecretStore(join(dir, 'secrets.json'));
  file = new SessionFile(join(dir, 'session.json'));
  userId = seedUser(db, 'ada@example.com');
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SessionService', () => {
  it('start writes a 0600 session file, stores only the refresh-token hash and generates the key once per database', async () => {
    const started = await service().start(userId);
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    const { accessToken, refreshToken } = tokens();
    expect(accessToken.split('.')).toHaveLength(3);
    expect(refreshToken.length).toBeGreaterThanOrEqual(40);

    const row = sessionRow(started.sessionId);
    expect(row.refresh_token_hash).toBe(hashToken(refreshToken));
    const dump = JSON.stringify(db.prepare('SELECT * FROM sessions').all());
    expect(dump).not.toContain(refreshToken);
    expect(dump).not.toContain(accessToken);
    expect(started.expiresAt).toBe(new Date(clock.now().getTime() + 7 * 86_400_000).toISOString());

    const key = await secrets.get(secretAccounts.jwtSigningKey(databaseId(db)));
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);

    // A fresh service (another djs process) reuses the stored key and accepts the session.
    const current = await service().current();
    expect(current).toMatchObject({ userId, sessionId: started.sessionId });
    expect(await secrets.get(secretAccounts.jwtSigningKey(databaseId(db)))).toBe(key);
  });

  it('the JWT carries the user, the session and the database; HS256', async () => {
    const started = await service().start(userId);
    const [header, payload] = tokens()
      .accessToken.split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>);
    expect(header).toEqual({ alg: 'HS256' });
    expect(payload).toMatchObject({
      sub: String(userId),
      sid: started.sessionId,
      aud: databaseId(db),
      iss: 'djs',
    });
    expect((payload!.exp as number) - (payload!.iat as number)).toBe(30 * 60);
  });

  it('after the access lifetime, current() refreshes and rotates the refresh token', async () => {
    const started = await service().start(userId);
    const before = fileText();
    const old = tokens();
    clock.advance(31 * MINUTE);

    const refreshed = await service().current();
    expect(refreshed.sessionId).toBe(started.sessionId);
    expect(fileText()).not.toBe(before);
    const now = tokens();
    expect(now.refreshToken).not.toBe(old.refreshToken);
    expect(now.accessToken).not.toBe(old.accessToken);
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(sessionRow(started.sessionId).refresh_token_hash).toBe(hashToken(now.refreshToken));
    const retired = db.prepare('SELECT * FROM session_retired_tokens').all() as { token_hash: string }[];
    expect(retired.map((r) => r.token_hash)).toEqual([hashToken(old.refreshToken)]);
    // Refreshing extends the session.
    expect(refreshed.expiresAt).toBe(new Date(clock.now().getTime() + 7 * 86_400_000).toISOString());

    // The new access token is valid: no second rotation before it expires.
    await service().current();
    expect(tokens().refreshToken).toBe(now.refreshToken);
  });

  it('an old refresh token presented after the 60 s grace revokes the whole session', async () => {
    const started = await service().start(userId);
    const stolen = fileText();
    clock.advance(31 * MINUTE);
    await service().current(); // rotation
    const legitimate = fileText();

    clock.advance(61_000);
    writeFileSync(file.path, stolen);
    await authError(service().current(), /old copy of its refresh token/);
    expect(sessionRow(started.sessionId)).toMatchObject({ revoke_reason: 'refresh token reused' });
    expect(sessionRow(started.sessionId).revoked_at).not.toBeNull();

    // The legitimate holder is logged out too: the session is gone for everyone.
    writeFileSync(file.path, legitimate);
    await authError(service().current(), /has ended/);
  });

  it('within the grace period an old refresh token does not revoke the session', async () => {
    const started = await service().start(userId);
    const stale = fileText();
    clock.advance(31 * MINUTE);
    await service().current();
    const fresh = fileText();

    clock.advance(10_000);
    writeFileSync(file.path, stale);
    await authError(service().current());
    expect(sessionRow(started.sessionId).revoked_at).toBeNull();
    writeFileSync(file.path, fresh);
    expect((await service().current()).sessionId).toBe(started.sessionId);
  });

  it('two processes refreshing at once: the loser picks up the winner’s new tokens', async () => {
    const started = await service().start(userId);
    const stale = JSON.parse(fileText()) as { accessToken: string; refreshToken: string };
    clock.advance(31 * MINUTE);
    await service().current(); // the winner rotates and writes the file
    const winner = tokens();

    // The loser read the file before the winner wrote it; later reads see the new file.
    class StaleFirstRead extends SessionFile {
      private first = true;
      override read(): SessionFileState {
        if (this.first) {
          this.first = false;
          return { kind: 'present', tokens: stale };
        }
        return super.read();
      }
    }
    clock.advance(2_000);
    const loser = await service({}, new StaleFirstRead(file.path)).current();
    expect(loser.sessionId).toBe(started.sessionId);
    expect(sessionRow(started.sessionId).revoked_at).toBeNull();
    expect(tokens()).toEqual(winner);
  });

  it('end() revokes: a copy of the session file restored afterwards is refused', async () => {
    const started = await service().start(userId);
    const copy = fileText();
    expect(await service().end()).toEqual({ userId });
    expect(file.read().kind).toBe('absent');
    expect(sessionRow(started.sessionId)).toMatchObject({ revoke_reason: 'logout' });

    writeFileSync(file.path, copy);
    await authError(service().current(), /ended/);
    // even once its access token has expired and it tries to refresh
    clock.advance(31 * MINUTE);
    await authError(service().current(), /ended/);

    // Logging out again: the restored copy is removed and the command says there was nothing to end.
    await expect(service().end()).rejects.toThrow(UsageError);
    await expect(service().end()).rejects.toThrow(/no active session/);
  });

  it('a JWT with one character altered is refused, in the header, the payload or the signature', async () => {
    await service().start(userId);
    const original = tokens();
    for (const part of [0, 1, 2] as const) {
      file.write({ ...original, accessToken: alterPart(original.accessToken, part) });
      await authError(service().current(), /not valid/);
    }
    file.write(original);
    expect((await service().current()).userId).toBe(userId);
  });

  it('a payload rewritten to another user with the old signature is refused', async () => {
    const other = seedUser(db, 'bob@example.com');
    await service().start(userId);
    const original = tokens();
    const [header, payload, signature] = original.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: String(other) })).toString('base64url');
    file.write({ ...original, accessToken: `${header}.${forged}.${signature}` });
    await authError(service().current(), /not valid/);
  });

  it('the access token names its refresh token: another valid refresh token beside it is refused', async () => {
    await service().start(userId);
    const first = tokens();
    await service().start(userId); // a second session, whose refresh token is live in the database
    file.write({ accessToken: first.accessToken, refreshToken: tokens().refreshToken });
    await authError(service().current(), /not valid/);
  });

  it('an access token signed before the binding (no refresh-token hash) is refreshed, not refused', async () => {
    const started = await service({ JWT_SECRET_KEY: KEY_A }).start(userId);
    const { SignJWT } = await import('jose/jwt/sign');
    const legacy = await new SignJWT({ sid: started.sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(userId))
      .setIssuer('djs')
      .setAudience(databaseId(db))
      .setIssuedAt(Math.floor(clock.now().getTime() / 1000))
      .setExpirationTime(Math.floor(clock.now().getTime() / 1000) + 600)
      .sign(new TextEncoder().encode(KEY_A));
    const { refreshToken } = tokens();
    file.write({ accessToken: legacy, refreshToken });
    expect((await service({ JWT_SECRET_KEY: KEY_A }).current()).sessionId).toBe(started.sessionId);
    expect(tokens().refreshToken).not.toBe(refreshToken);
  });

  it('a session signed with another JWT_SECRET_KEY is refused', async () => {
    await service({ JWT_SECRET_KEY: KEY_A }).start(userId);
    expect((await service({ JWT_SECRET_KEY: KEY_A }).current()).userId).toBe(userId);
    await authError(service({ JWT_SECRET_KEY: KEY_B }).current(), /not valid/);
    // JWT_SECRET_KEY means the SecretStore is never consulted
    expect(await secrets.list('')).toEqual([]);
    // nor with the key generated for this database
    await authError(service().current(), /not valid/);
  });

  it('a session file from another DJS_HOME is refused even with the same key', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'djs-sessions-other-'));
    try {
      const otherDb = openDatabase(join(otherDir, 'djs.db'));
      const otherUser = seedUser(otherDb, 'ada@example.com');
      const otherFile = new SessionFile(join(otherDir, 'session.json'));
      await service({ JWT_SECRET_KEY: KEY_A }, otherFile, otherDb).start(otherUser);
      otherDb.close();
      writeFileSync(file.path, readFileSync(otherFile.path));
      await authError(service({ JWT_SECRET_KEY: KEY_A }).current(), /not valid/);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('JWT_SECRET_KEY shorter than 32 characters is a UsageError', async () => {
    await expect(service({ JWT_SECRET_KEY: 'x'.repeat(31) }).start(userId)).rejects.toThrow(UsageError);
    await expect(service({ JWT_SECRET_KEY: 'x'.repeat(31) }).start(userId)).rejects.toThrow(/at least 32/);
    await expect(service({ JWT_SECRET_KEY: 'x'.repeat(32) }).start(userId)).resolves.toMatchObject({
      userId,
    });
  });

  it('lifetimes come from the environment and must be positive numbers', () => {
    expect(sessionLifetimes({})).toEqual({ accessMinutes: 30, refreshDays: 7 });
    expect(
      sessionLifetimes({ JWT_ACCESS_TOKEN_EXPIRE_MINUTES: '0.5', JWT_REFRESH_TOKEN_EXPIRE_DAYS: '2' }),
    ).toEqual({ accessMinutes: 0.5, refreshDays: 2 });
    for (const bad of ['0', '-1', 'abc', 'Infinity']) {
      expect(() => sessionLifetimes({ JWT_ACCESS_TOKEN_EXPIRE_MINUTES: bad })).toThrow(UsageError);
    }
  });

  it('a session not used for longer than the refresh lifetime has expired', async () => {
    await service().start(userId);
    clock.advance(7 * 86_400_000 + 1000);
    await authError(service().current(), /expired/);
  });

  it('a damaged or missing session file means not logged in (AuthError)', async () => {
    await authError(service().current(), /not logged in/);
    writeFileSync(file.path, '{"accessToken": 1');
    await authError(service().current(), /not valid/);
  });

  it('a new login revokes the previous session of this DJS_HOME', async () => {
    const first = await service().start(userId);
    const second = await service().start(seedUser(db, 'bob@example.com'));
    expect(sessionRow(first.sessionId)).toMatchObject({ revoke_reason: 'replaced by a new login' });
    expect(sessionRow(second.sessionId).revoked_at).toBeNull();
    expect((await service().current()).sessionId).toBe(second.sessionId);
  });

  it('revokeAllForUser keeps only the given session', async () => {
    const otherFile = new SessionFile(join(dir, 'other-session.json'));
    const kept = await service().start(userId);
    const ended = await service({}, otherFile).start(userId);
    service().revokeAllForUser(userId, 'password changed', kept.sessionId);
    expect(sessionRow(kept.sessionId).revoked_at).toBeNull();
    expect(sessionRow(ended.sessionId)).toMatchObject({ revoke_reason: 'password changed' });
    await authError(service({}, otherFile).current(), /password changed/);
  });
});
