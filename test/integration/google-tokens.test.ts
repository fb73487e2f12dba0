import { systemClock } from '../../src/core/clock.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { FileSecretStore } from '../../src/secrets/file-store.js';
import { GoogleLinkService, LINK_EXPIRED } from '../../src/google/link.js';
import { AuthError, DjsError } from '../../src/core/errors.js';
import { startFakeGoogle, type FakeGoogle } from '../../src/fakes/google-server.js';
import { tempHome } from '../helpers/cli.js';
import { googleEnv } from '../helpers/google.js';

/** The token side of the Google link, in process against the fake: refresh on demand, persistence, invalid_grant. */
describe('GoogleLinkService tokens', () => {
  let fake: FakeGoogle;
  let db: Db;
  let store: FileSecretStore;
  let service: GoogleLinkService;
  let cleanup: () => void;

  beforeEach(async () => {
    fake = await startFakeGoogle({ accessTokenLifetimeSeconds: 3600 });
    const home = tempHome();
    cleanup = home.cleanup;
    db = openDatabase(`${home.home}/djs.db`);
    db.prepare(
      "INSERT INTO users (id, email, password_hash, created_at, updated_at) VALUES (1, 'ada@example.com', 'x', 'now', 'now')",
    ).run();
    store = new FileSecretStore(`${home.home}/secrets.json`);
    service = new GoogleLinkService({
      db,
      secrets: async () => store,
      clock: systemClock,
      env: googleEnv(fake),
      configPath: `${home.home}/config.json`,
    });
    // An auto-approving "browser": follow the consent URL and its redirect to the loopback receiver.
    await service.link(1, { presentUrl: async (url) => void (await fetch(url)) });
  });

  afterEach(async () => {
    db.close();
    cleanup();
    await fake.close();
  });

  const stored = async () => JSON.parse((await store.get(`google:${dbId(db)}:1`))!);

  it('uses the cached access token while it is valid', async () => {
    const before = await stored();
    const refreshes = () =>
      fake.requests.filter((r) => (r.body as Record<string, string>).grant_type === 'refresh_token');
    expect(await service.accessToken(1)).toBe(before.access_token);
    expect(refreshes()).toHaveLength(0);
  });

  it('refreshes an expired access token transparently and persists the new one', async () => {
    const before = await stored();
    // Expire the cached token on our side (as if an hour had passed) and on Google's.
    await store.set(`google:${dbId(db)}:1`, JSON.stringify({ ...before, expiry_date: Date.now() - 1000 }));
    fake.expireAccessTokens();
    const token = await service.accessToken(1);
    expect(token).not.toBe(before.access_token);
    expect(fake.accessTokenIsValid(token)).toBe(true);
    const after = await stored();
    expect(after.access_token).toBe(token);
    expect(after.refresh_token).toBe(before.refresh_token);
    const row = db.prepare('SELECT token_expiry FROM user_google_credentials WHERE user_id = 1').get() as {
      token_expiry: string;
    };
    expect(new Date(row.token_expiry).getTime()).toBe(after.expiry_date);
  });

  it('turns invalid_grant into exit 4 with the message that says what to do', async () => {
    const before = await stored();
    await store.set(`google:${dbId(db)}:1`, JSON.stringify({ ...before, expiry_date: Date.now() - 1000 }));
    fake.setOptions({ invalidGrant: true });
    const error = await service.accessToken(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).exitCode).toBe(4);
    expect((error as AuthError).message).toBe(LINK_EXPIRED);
  });

  it.each(['gzip-bomb', 'oversized'] as const)(
    'refuses a %s from the token endpoint at 64 KB, asks once, and keeps the stored token',
    async (hostileToken) => {
      const before = await stored();
      const expired = { ...before, expiry_date: Date.now() - 1000 };
      await store.set(`google:${dbId(db)}:1`, JSON.stringify(expired));
      fake.setOptions({ hostileToken });
      const refreshes = (): number =>
        fake.requests.filter((r) => (r.body as Record<string, string>).grant_type === 'refresh_token').length;
      const started = performance.now();
      const error = await service.accessToken(1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DjsError);
      expect((error as Error).message).toMatch(
        /^Could not refresh the Google access token: POST http:\/\/127\.0\.0\.1:\d+\/token failed: the response is larger than 64 KB\.$/,
      );
      expect(refreshes()).toBe(1); // not retried by gaxios either
      expect(performance.now() - started).toBeLessThan(3000);
      expect(await stored()).toEqual(expired);
    },
  );

  it('says Google is not linked when there is no link (exit 4)', async () => {
    await service.forget(1);
    const error = await service.accessToken(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(/not linked/);
  });
});

function dbId(db: Db): string {
  return (db.prepare("SELECT value FROM meta WHERE key = 'database_id'").get() as { value: string }).value;
}
