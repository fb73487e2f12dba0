import type { Command } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { googleLinkService, requireLogin, sessionService } from '../cli/factory.js';

export interface LogoutOptions {
  forgetGoogle?: boolean;
}

export function register(program: Command, run: ActionRunner): void {
  program
    .command('logout')
    .description('end the session; copies of the session file stop working at once')
    .option('--forget-google', 'also revoke the Google token at Google and delete it from the keychain')
    .addHelpText('after', '\nExamples:\n  $ djs logout\n  $ djs logout --forget-google')
    .action(run<LogoutOptions>(runLogout));
}

export async function runLogout(ctx: Context, options: LogoutOptions): Promise<void> {
  let google: { hadLink: boolean; revoked: boolean; warning: string | null } | null = null;
  if (options.forgetGoogle) {
    const { user } = await requireLogin(ctx);
    google = await (await googleLinkService(ctx)).forget(user.id);
    if (google.warning) ctx.out.warn(google.warning);
  }
  await (await sessionService(ctx)).end();
  if (ctx.out.json) {
    ctx.out.data({
      loggedIn: false,
      ...(google ? { google: { forgotten: google.hadLink, revoked: google.revoked } } : {}),
    });
    return;
  }
  if (google) {
    ctx.out.success(
      google.hadLink ? 'The Google link was revoked and deleted.' : 'There was no Google link to forget.',
    );
  }
  ctx.out.success('Logged out.');
}
