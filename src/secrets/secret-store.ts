/**
 * Where secrets live: the OS keychain by default, a 0600 file where there is none (SPEC §6).
 * Entries are keyed by account name under the single service SECRET_SERVICE.
 */
export interface SecretStore {
  readonly kind: 'keychain' | 'file';
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** Returns whether an entry was removed. */
  delete(account: string): Promise<boolean>;
  /** Account names that start with the prefix. */
  list(prefix: string): Promise<string[]>;
}

export const SECRET_SERVICE = 'dream-job-search';

/** Account names: every one includes the database id so two DJS_HOMEs sharing a keychain never collide. */
export const secretAccounts = {
  jwtSigningKey: (databaseId: string) => `jwt:${databaseId}`,
  google: (databaseId: string, userId: number) => `google:${databaseId}:${userId}`,
};
