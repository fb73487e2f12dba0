import { readFileSync } from 'node:fs';
import { DjsError } from '../core/errors.js';
import { writePrivateFileAtomic } from '../core/files.js';
import type { SecretStore } from './secret-store.js';

/**
 * Secrets in a 0600 JSON file, for machines without a keychain (DJS_SECRET_STORE=file). Anyone who can
 * read the file as this user can read the secrets, which is why the CLI warns whenever it is used.
 */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file' as const;

  constructor(private readonly path: string) {}

  async get(account: string): Promise<string | null> {
    return this.read()[account] ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    const secrets = this.read();
    secrets[account] = secret;
    this.write(secrets);
  }

  async delete(account: string): Promise<boolean> {
    const secrets = this.read();
    if (!(account in secrets)) return false;
    delete secrets[account];
    this.write(secrets);
    return true;
  }

  async list(prefix: string): Promise<string[]> {
    return Object.keys(this.read()).filter((account) => account.startsWith(prefix));
  }

  private read(): Record<string, string> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
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

  private write(secrets: Record<string, string>): void {
    writePrivateFileAtomic(this.path, `${JSON.stringify(secrets, null, 2)}\n`);
  }
}
