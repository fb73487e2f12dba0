import { DjsError } from '../core/errors.js';
import { readPrivateFile, withFileLock, writePrivateFileAtomic, type Warn } from '../core/files.js';
import type { SecretStore } from './secret-store.js';

/**
 * Secrets in a 0600 JSON file, for machines without a keychain (DJS_SECRET_STORE=file). Anyone who can
 * read the file as this user can read the secrets, which is why the CLI warns whenever it is used.
 */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file' as const;

  /** `warn` is told when the file had to be made private again. */
  constructor(
    private readonly path: string,
    private readonly warn: Warn = () => {},
  ) {}

  async get(account: string): Promise<string | null> {
    return this.read()[account] ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.update((secrets) => {
      secrets[account] = secret;
      return true;
    });
  }

  async delete(account: string): Promise<boolean> {
    return this.update((secrets) => {
      if (!(account in secrets)) return false;
      delete secrets[account];
      return true;
    });
  }

  async list(prefix: string): Promise<string[]> {
    return Object.keys(this.read()).filter((account) => account.startsWith(prefix));
  }

  private read(): Record<string, string> {
    const text = readPrivateFile(this.path, this.warn);
    if (text === null) return {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const entries = Object.entries(parsed).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        );
        return Object.fromEntries(entries);
      }
    } catch {
      // fall through to the error below
    }
    throw new DjsError(
      `The secrets file ${this.path} is damaged. Restore it from a backup or delete it and log in again.`,
    );
  }

  /**
   * Read, change and write back under a lock, so that two processes changing different entries at once
   * both keep their change; the write is atomic (0600 temp file, then rename). `change` says whether it
   * changed anything: nothing is written otherwise.
   */
  private update(change: (secrets: Record<string, string>) => boolean): boolean {
    return withFileLock(this.path, () => {
      const secrets = this.read();
      if (!change(secrets)) return false;
      writePrivateFileAtomic(this.path, `${JSON.stringify(secrets, null, 2)}\n`);
      return true;
    });
  }
}
