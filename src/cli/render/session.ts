import type { User } from '../../accounts/accounts.js';

/** What `register` and `login` print under --json once a session has started. */
export function sessionStartedJson(user: User, session: { expiresAt: string }): Record<string, unknown> {
  return { id: user.id, email: user.email, loggedIn: true, sessionExpiresAt: session.expiresAt };
}
