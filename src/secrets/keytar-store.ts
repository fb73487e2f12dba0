import { DjsError } from '../core/errors.js';
import { SECRET_SERVICE, type SecretStore } from './secret-store.js';

type Keytar = typeof import('keytar');

export const KEYCHAIN_UNREACHABLE =
  'The OS keychain is not reachable (no unlocked Secret Service on D-Bus). ' +
  'Unlock your keyring (e.g. log in to a desktop session or start gnome-keyring-daemon), ' +
  'or set DJS_SECRET_STORE=file to keep secrets in a 0600 file in DJS_HOME instead.';

/**
 * The OS keychain through keytar. Every call is bounded by a timeout: a hung D-Bus (a locked keyring
 * waiting for a password prompt nobody will answer, a cron job with no session bus) must fail fast
 * with the fix, not hang the 7 a.m. run.
 */
export class KeytarSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;
  private keytar: Promise<Keytar> | undefined;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
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
    if (process.platform === 'linux' && !this.env.DBUS_SESSION_BUS_ADDRESS && !this.env.XDG_RUNTIME_DIR) {
      throw new DjsError(KEYCHAIN_UNREACHABLE);
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
