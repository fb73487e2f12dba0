import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Context } from '../../src/cli/context.js';
import { DjsError, UsageError } from '../../src/core/errors.js';
import { FileSecretStore } from '../../src/secrets/file-store.js';
import { KeytarSecretStore, probeBus, sessionBusSocket } from '../../src/secrets/keytar-store.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'djs-secrets-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('FileSecretStore', () => {
  it('set/get/delete/list round trip in a 0600 file inside a 0700 folder', async () => {
    const path = join(dir, 'home', 'secrets.json');
    const store = new FileSecretStore(path);
    expect(store.kind).toBe('file');
    expect(await store.get('jwt:db1')).toBeNull();
    expect(await store.list('')).toEqual([]);

    await store.set('jwt:db1', 'signing-key');
    await store.set('google:db1:1', 'tok-1 ✓ "quoted"');
    await store.set('google:db1:2', 'tok-2');
    await store.set('google:db2:1', 'other-db');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'home')).mode & 0o777).toBe(0o700);

    // another instance (another process) sees the same entries
    const again = new FileSecretStore(path);
    expect(await again.get('google:db1:1')).toBe('tok-1 ✓ "quoted"');
    expect((await again.list('google:db1:')).sort()).toEqual(['google:db1:1', 'google:db1:2']);
    expect((await again.list('')).length).toBe(4);

    await store.set('jwt:db1', 'rotated');
    expect(await again.get('jwt:db1')).toBe('rotated');

    expect(await again.delete('google:db1:1')).toBe(true);
    expect(await again.delete('google:db1:1')).toBe(false);
    expect(await store.get('google:db1:1')).toBeNull();
    expect(await store.list('google:db1:')).toEqual(['google:db1:2']);
    expect(readFileSync(path, 'utf8')).not.toContain('tok-1');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('a damaged file is a clear DjsError naming the file, and is not overwritten', async () => {
    const path = join(dir, 'secrets.json');
    for (const content of ['{"jwt:x": "abc"', '[1, 2]', 'null']) {
      writeFileSync(path, content);
      const store = new FileSecretStore(path);
      await expect(store.get('jwt:x')).rejects.toThrow(DjsError);
      await expect(store.get('jwt:x')).rejects.toThrow(`The secrets file ${path} is damaged`);
      await expect(store.set('jwt:x', 'new')).rejects.toThrow(/damaged/);
      expect(readFileSync(path, 'utf8')).toBe(content);
    }
  });

  it('ignores entries that are not strings', async () => {
    const path = join(dir, 'secrets.json');
    writeFileSync(path, JSON.stringify({ good: 'yes', bad: 42 }));
    const store = new FileSecretStore(path);
    expect(await store.list('')).toEqual(['good']);
    expect(await store.get('bad')).toBeNull();
  });
});

describe('KeytarSecretStore without a session bus', () => {
  it('fails fast, naming DJS_SECRET_STORE=file', async () => {
    const store = new KeytarSecretStore({ PATH: process.env.PATH }, 10_000);
    const start = performance.now();
    for (const call of [
      () => store.get('x'),
      () => store.set('x', 'y'),
      () => store.list(''),
      () => store.delete('x'),
    ]) {
      const error = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DjsError);
      expect((error as Error).message).toMatch(/keychain is not reachable/);
      expect((error as Error).message).toContain('DJS_SECRET_STORE=file');
    }
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('the session bus probe', () => {
  it('finds the socket the way libdbus does', () => {
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' })).toBe(
      '/run/user/1000/bus',
    );
    expect(
      sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/dbus-abc,guid=0123456789abcdef' }),
    ).toBe('/tmp/dbus-abc');
    expect(
      sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/with%20space;unix:path=/tmp/second' }),
    ).toBe('/tmp/with space');
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:abstract=/tmp/dbus-xyz,guid=1' })).toBe(
      '\0/tmp/dbus-xyz',
    );
    expect(sessionBusSocket({ XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/bus');
    // transports it cannot probe are left to libsecret
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'tcp:host=127.0.0.1,port=4000' })).toBeNull();
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:tmpdir=/tmp' })).toBeNull();
    expect(sessionBusSocket({})).toBeNull();
  });

  async function listen(onConnection: (socket: Socket) => void): Promise<{ path: string; server: Server }> {
    const path = join(dir, `bus-${Math.random().toString(36).slice(2)}.sock`);
    const server = createServer(onConnection);
    await new Promise<void>((resolve) => server.listen(path, resolve));
    return { path, server };
  }

  it('is true when the bus answers the handshake', async () => {
    let received = '';
    const { path, server } = await listen((socket) =>
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
        socket.write('OK 0123456789abcdef\r\n');
      }),
    );
    try {
      expect(await probeBus(path, 2000)).toBe(true);
      expect(received).toMatch(/^\0AUTH EXTERNAL [0-9a-f]+\r\n$/);
    } finally {
      server.close();
    }
  });

  it('is false, within its timeout, when the bus accepts and never answers', async () => {
    const { path, server } = await listen(() => {});
    try {
      const start = performance.now();
      expect(await probeBus(path, 300)).toBe(false);
      expect(performance.now() - start).toBeLessThan(2000);
    } finally {
      server.close();
    }
  });

  it('is false when nothing listens', async () => {
    expect(await probeBus(join(dir, 'missing.sock'), 2000)).toBe(false);
  });

  it('a KeytarSecretStore on a silent bus fails with the fix instead of hanging', async () => {
    const { path, server } = await listen(() => {});
    try {
      const store = new KeytarSecretStore({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}` }, 300);
      await expect(store.get('x')).rejects.toThrow(/DJS_SECRET_STORE=file/);
    } finally {
      server.close();
    }
  });
});

describe('Context.secrets()', () => {
  function context(env: NodeJS.ProcessEnv): { ctx: Context; stderr: () => string } {
    let text = '';
    const stderr = new PassThrough();
    stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const ctx = new Context(
      { stdin: new PassThrough(), stdout: new PassThrough(), stderr },
      { DJS_HOME: dir, ...env },
      { json: false, verbose: false, color: false },
    );
    return { ctx, stderr: () => text };
  }

  it('DJS_SECRET_STORE=file gives the file store and warns exactly once per command', async () => {
    const { ctx, stderr } = context({ DJS_SECRET_STORE: ' File ' });
    const first = await ctx.secrets();
    const second = await ctx.secrets();
    expect(first.kind).toBe('file');
    expect(second).toBe(first);
    await first.set('k', 'v');
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'))).toEqual({ k: 'v' });
    expect(stderr().match(/warning:/g)).toHaveLength(1);
    expect(stderr()).toContain('DJS_SECRET_STORE=file');
  });

  it('the keychain is the default', async () => {
    const { ctx, stderr } = context({});
    expect((await ctx.secrets()).kind).toBe('keychain');
    expect(stderr()).toBe('');
  });

  it('anything else is a UsageError', async () => {
    const { ctx } = context({ DJS_SECRET_STORE: 'vault' });
    await expect(ctx.secrets()).rejects.toThrow(UsageError);
    await expect(ctx.secrets()).rejects.toThrow(/"keychain" or "file"/);
  });
});
