import { AccountService, type User } from '../accounts/accounts.js';
import type { GoogleLinkService } from '../google/link.js';
import { SessionFile } from '../accounts/session-file.js';
import { SessionService, type ActiveSession } from '../accounts/sessions.js';
import type { Context } from './context.js';

/** Builds the services a command needs from its context: the one place that wires collaborators. */
export async function accountService(ctx: Context): Promise<AccountService> {
  return new AccountService(await ctx.db(), ctx.clock);
}

export async function sessionService(ctx: Context): Promise<SessionService> {
  return new SessionService({
    db: await ctx.db(),
    secrets: () => ctx.secrets(),
    clock: ctx.clock,
    env: ctx.env,
    file: new SessionFile(ctx.paths.session, (message) => ctx.out.warn(message)),
  });
}

/** The logged-in user, or exit 4 saying how to log in. */
export async function requireLogin(ctx: Context): Promise<{ user: User; session: ActiveSession }> {
  const session = await (await sessionService(ctx)).current();
  const user = (await accountService(ctx)).require(session.userId);
  return { user, session };
}

/** Loaded on demand: the Google modules are the heaviest part of djs and most commands never need them. */
export async function googleLinkService(ctx: Context): Promise<GoogleLinkService> {
  const { GoogleLinkService } = await import('../google/link.js');
  return new GoogleLinkService({
    db: await ctx.db(),
    secrets: () => ctx.secrets(),
    clock: ctx.clock,
    env: ctx.env,
    configPath: ctx.paths.config,
  });
}
