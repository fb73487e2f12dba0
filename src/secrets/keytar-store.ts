import { connect } from 'node:net';
import { join } from 'node:path';
import { DjsError } from '../core/errors.js';
import { setting, type Environment } from '../core/settings.js';
import { SECRET_SERVICE, type SecretStore } from './secret-store.js';

type Keytar = typeof import('keytar');

export const KEYCHAIN_UNREACHABLE =
  'The OS keychain is not reachable (no unlocked Secret Service on D-Bus). ' +
  'Unlock your keyring (e.g. log in to a desktop session or start gnome-keyring-daemon), ' +
  'or set DJS_SECRET_STORE=file to keep secrets in a 0600 file in DJS_HOME instead.';

/** How long the session bus gets to answer the first handshake line; a live bus answers in milliseconds. */
const BUS_PROBE_TIMEOUT_MS = 2000;

/**
 * The OS keychain through keytar. Every call is bounded by a timeout: a hung D-Bus (a locked keyring
 * waiting for a password prompt nobody will answer, a cron job with no session bus) must fail fast
 * with the fix, not hang the 7 a.m. run.
 */
export class KeytarSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;
  private keytar: Promise<Keytar> | undefined;
  private busProbe: Promise<boolean> | undefined;

  constructor(
    private readonly env: Environment,
    private readonly timeoutMs = 5000,
  ) {}

  get(account: string): Promise<string | null> {
    return this.call((k) => k.getPassword(SECRET_SERVICE, account));
  }

  set(account: string, secret: string): Promise<void> {
    return this.call((k) => k.setPassword(SECRET_SERVICE, account, secret));
  }

  delete(account: string): Promise<boolean> {
    return this.call((k) => k.deletePassword(SECRET_SERVICE, account));
  }

  async list(prefix: string): Promise<string[]> {
    const credentials = await this.call((k) => k.findCredentials(SECRET_SERVICE));
    return credentials.map((c) => c.account).filter((account) => account.startsWith(prefix));
  }

  private async call<T>(operation: (keytar: Keytar) => Promise<T>): Promise<T> {
    // libsecret autostarts nothing useful without a session bus; say so instead of waiting for a timeout.
    if (
      process.platform === 'linux' &&
      !setting(this.env, 'DBUS_SESSION_BUS_ADDRESS') &&
      !setting(this.env, 'XDG_RUNTIME_DIR')
    ) {
      throw new DjsError(KEYCHAIN_UNREACHABLE);
    }
    // A bus that accepts the connection but never answers blocks libsecret's connection handshake, which
    // has no timeout, in a libuv worker thread; Node then cannot even exit, since it joins that thread on
    // the way out. So check that the bus answers before handing any work to keytar.
    if (process.platform === 'linux') {
      const socket = sessionBusSocket(this.env);
      if (socket) {
        this.busProbe ??= probeBus(socket, Math.min(this.timeoutMs, BUS_PROBE_TIMEOUT_MS));
        if (!(await this.busProbe)) throw new DjsError(KEYCHAIN_UNREACHABLE);
      }
    }
    this.keytar ??= import('keytar').then((module) => (module.default ?? module) as Keytar);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DjsError(KEYCHAIN_UNREACHABLE)), this.timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([this.keytar.then(operation), timeout]);
    } catch (error) {
      if (error instanceof DjsError) throw error;
      throw new DjsError(KEYCHAIN_UNREACHABLE, undefined, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The Unix socket of the session bus, as libdbus and GIO find it: the first entry of
 * DBUS_SESSION_BUS_ADDRESS when it is `unix:path=` or `unix:abstract=`, else $XDG_RUNTIME_DIR/bus.
 * Null for any other transport, which is then left to libsecret unprobed.
 */
export function sessionBusSocket(env: Environment): string | null {
  const address = setting(env, 'DBUS_SESSION_BUS_ADDRESS')?.trim();
  const runtimeDir = setting(env, 'XDG_RUNTIME_DIR');
  if (!address) return runtimeDir ? join(runtimeDir, 'bus') : null;
  const first = address.split(';')[0] ?? '';
  const colon = first.indexOf(':');
  if (colon < 0 || first.slice(0, colon) !== 'unix') return null;
  const params = new Map(
    first
      .slice(colon + 1)
      .split(',')
      .map((pair) => {
        const eq = pair.indexOf('=');
        return [pair.slice(0, eq), pair.slice(eq + 1)] as const;
      }),
  );
  const unescape = (value: string): string =>
    value.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const path = params.get('path');
  if (path) return unescape(path);
  const abstract = params.get('abstract');
  if (abstract) return `\0${unescape(abstract)}`;
  return null;
}

/** Opens the bus socket and sends the first line of the D-Bus SASL handshake: true when the bus answers. */
export function probeBus(socketPath: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    let settled = false;
    const finish = (answered: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answered);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('connect', () => {
      const uid = Buffer.from(String(process.getuid?.() ?? 0)).toString('hex');
      socket.write(`\0AUTH EXTERNAL ${uid}\r\n`);
    });
    socket.on('data', () => finish(true));
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}
