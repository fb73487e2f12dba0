import type { AccountService } from './accounts.js';
import type { SessionService } from './sessions.js';

/**
 * Deletes a user and everything that belongs to them. Secrets go first: if the keychain cannot be
 * reached, nothing is deleted and the person can retry, instead of leaving tokens orphaned.
 */
export async function deleteUserEverywhere(deps: {
  accounts: AccountService;
  sessions: SessionService;
  userId: number;
  /** Revokes the Google token at Google and deletes it from the SecretStore. */
  forgetGoogle: (userId: number) => Promise<unknown>;
}): Promise<void> {
  await deps.forgetGoogle(deps.userId);
  deps.accounts.delete(deps.userId);
  deps.sessions.removeSessionFile();
}
