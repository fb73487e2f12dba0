import type { Db } from '../db/database.js';
import { databaseId } from '../db/database.js';
import { secretAccounts, type SecretStore } from '../secrets/secret-store.js';
import type { AccountService } from './accounts.js';
import type { SessionService } from './sessions.js';

/**
 * Deletes a user and everything that belongs to them. Secrets go first: if the keychain cannot be
 * reached, nothing is deleted and the person can retry, instead of leaving tokens orphaned.
 */
export async function deleteUserEverywhere(deps: {
  db: Db;
  secrets: SecretStore;
  accounts: AccountService;
  sessions: SessionService;
  userId: number;
  /** Called before the Google token is deleted, to revoke it at Google. */
  beforeForgetGoogle?: (refreshToken: string) => Promise<void>;
}): Promise<void> {
  const account = secretAccounts.google(databaseId(deps.db), deps.userId);
  const googleToken = await deps.secrets.get(account);
  if (googleToken && deps.beforeForgetGoogle) await deps.beforeForgetGoogle(googleToken);
  await deps.secrets.delete(account);
  deps.accounts.delete(deps.userId);
  deps.sessions.removeSessionFile();
}
