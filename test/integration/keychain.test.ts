import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../src/secrets/keytar-store.js';
import { SECRET_SERVICE } from '../../src/secrets/secret-store.js';
import { expectNoStackTrace, runDjs, STRONG_PASSWORD, tempHome } from '../helpers/cli.js';

type Keytar = typeof import('keytar');

const keychainAvailable = Boolean(process.env.DJS_KEYCHAIN_AVAILABLE);
if (!keychainAvailable) {
  console.warn(
    'keychain tests skipped: run them with `bash test/with-keyring.sh npx vitest run test/integration/keychain.test.ts` ' +
      '(needs dbus and gnome-keyring).',
  );
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function home(): string {
  const { home: dir, cleanup } = tempHome('djs-keychain-');
  cleanups.push(cleanup);
  return dir;
}

function databaseIdOf(dir: string): string {
  const db = new Database(join(dir, 'djs.db'), { readonly: true });
  try {
    return (db.prepare("SELECT value FROM meta WHERE key = 'database_id'").get() as { value: string }).value;
  } finally {
    db.close();
  }
}

function databaseBytes(dir: string): Buffer {
  const parts = ['djs.db', 'djs.db-wal'].map((name) => join(dir, name)).filter((path) => existsSync(path));
  return Buffer.concat(parts.map((path) => readFileSync(path)));
}

describe.skipIf(!keychainAvailable)('the real keychain (gnome-keyring over D-Bus)', () => {
  let keytar: Keytar;
  const prefix = `djs-test-${process.pid}-${Date.now()}:`;

  beforeAll(async () => {
    const module = (await import('keytar')) as Keytar & { default?: Keytar };
    keytar = module.default ?? module;
  });

  afterAll(async () => {
    for (const { account } of await keytar.findCredentials(SECRET_SERVICE)) {
      if (account.startsWith(prefix)) await keytar.deletePassword(SECRET_SERVICE, account);
    }
  });

  it('KeytarSecretStore set/get/list/delete round trip', async () => {
    const store = new KeytarSecretStore(process.env);
    const a = `${prefix}google:db:1`;
    const b = `${prefix}google:db:2`;
    expect(await store.get(a)).toBeNull();
    await store.set(a, 'secret-a ✓');
    await store.set(b, 'secret-b');
    await store.set(b, 'secret-b2');
    expect(await store.get(a)).toBe('secret-a ✓');
    expect(await store.get(b)).toBe('secret-b2');
    // it is really in the keyring: keytar on its own sees it
    expect(await keytar.getPassword(SECRET_SERVICE, a)).toBe('secret-a ✓');
    expect((await store.list(`${prefix}google:db:`)).sort()).toEqual([a, b]);
    expect(await store.list(`${prefix}nothing`)).toEqual([]);
    expect(await store.delete(a)).toBe(true);
    expect(await store.delete(a)).toBe(false);
    expect(await store.get(a)).toBeNull();
    expect(await store.list(prefix)).toEqual([b]);
    expect(await store.delete(b)).toBe(true);
  });

  it('register keeps the JWT signing key in the keyring under jwt:<database id>, not in djs.db; two homes never collide', async () => {
    const first = home();
    const second = home();
    const env = { DJS_SECRET_STORE: 'keychain' };
    for (const dir of [first, second]) {
      const registered = await runDjs(['register', '--email', 'ada@example.com', '--password-stdin'], {
        home: dir,
        input: `${STRONG_PASSWORD}\n`,
        env,
      });
      expectNoStackTrace(registered);
      expect(registered.code, registered.stderr).toBe(0);
      expect(registered.stderr).not.toMatch(/warning/); // no file-store warning
    }
    const ids = [databaseIdOf(first), databaseIdOf(second)];
    for (const id of ids)
      cleanups.push(async () => void (await keytar.deletePassword(SECRET_SERVICE, `jwt:${id}`)));
    expect(ids[0]).not.toBe(ids[1]);

    const keys = await Promise.all(ids.map((id) => keytar.getPassword(SECRET_SERVICE, `jwt:${id}`)));
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys[1]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys[0]).not.toBe(keys[1]);

    for (const dir of [first, second]) {
      const status = await runDjs(['status', '--json'], { home: dir, env });
      expectNoStackTrace(status);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ loggedIn: true, email: 'ada@example.com' });
      expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
    }
    for (const [i, dir] of [first, second].entries()) {
      const bytes = databaseBytes(dir);
      expect(bytes.length).toBeGreaterThan(0);
      expect(bytes.includes(keys[i]!)).toBe(false);
    }

    // Without its key in the keyring the session cannot be verified: the key really comes from there.
    await keytar.deletePassword(SECRET_SERVICE, `jwt:${ids[0]}`);
    const withoutKey = await runDjs(['status'], { home: first, env });
    expectNoStackTrace(withoutKey);
    expect(withoutKey.code).toBe(4);
  });
});

describe('a keychain that cannot answer', () => {
  it('with no session bus at all, the CLI fails at once naming DJS_SECRET_STORE=file', async () => {
    const dir = home();
    const result = await runDjs(['register', '--email', 'ada@example.com', '--password-stdin'], {
      home: dir,
      input: `${STRONG_PASSWORD}\n`,
      env: { DJS_SECRET_STORE: 'keychain', DBUS_SESSION_BUS_ADDRESS: undefined, XDG_RUNTIME_DIR: undefined },
    });
    expectNoStackTrace(result);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/keychain is not reachable/);
    expect(result.stderr).toContain('DJS_SECRET_STORE=file');
  });

  it('a bus that accepts connections and never answers does not hang the CLI', async () => {
    const dir = home();
    const registered = await runDjs(['register', '--email', 'ada@example.com', '--password-stdin'], {
      home: dir,
      input: `${STRONG_PASSWORD}\n`,
    });
    expect(registered.code, registered.stderr).toBe(0);

    const socketPath = join(dir, 'silent-bus.sock');
    const server: Server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    cleanups.push(() => void server.close());

    const start = performance.now();
    const result = await runDjs(['status'], {
      home: dir,
      env: {
        DJS_SECRET_STORE: 'keychain',
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${socketPath}`,
        XDG_RUNTIME_DIR: undefined,
      },
      timeoutMs: 20_000,
    });
    expectNoStackTrace(result);
    expect(result.signal).toBeNull(); // not killed by the timeout
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DJS_SECRET_STORE=file');
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});
