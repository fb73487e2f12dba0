import type { Command } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import { accountService, sessionService } from '../cli/factory.js';
import { sessionStartedJson } from '../cli/render/session.js';
import { askNewPassword, askText, emailOption, passwordOption } from '../cli/prompts.js';
import { normaliseEmail } from '../accounts/accounts.js';
import { checkPasswordPolicy } from '../accounts/passwords.js';

interface RegisterOptions {
  email?: string;
  firstName?: string;
  lastName?: string;
  passwordStdin?: boolean;
}

export function register(program: Command, run: ActionRunner): void {
  program
    .command('register')
    .description('create a local account and log in to it')
    .option('--email <email>', 'your email address (your login name)')
    .option('--first-name <name>', 'first name')
    .option('--last-name <name>', 'last name')
    .option('--password-stdin', 'read the password from standard input instead of a prompt')
    .addHelpText(
      'after',
      `
Examples:
  $ djs register                                   # prompts for everything
  $ printf '%s\\n' "$PW" | djs register --email ada@example.com --first-name Ada --password-stdin`,
    )
    .action(
      run<RegisterOptions>(async (ctx, options) => {
        const email = normaliseEmail(await emailOption(ctx, options.email));
        let { firstName, lastName } = options;
        const password = await passwordOption(ctx, options.passwordStdin, async () => {
          firstName ??= await askText(ctx, 'First name (optional):');
          lastName ??= await askText(ctx, 'Last name (optional):');
          return askNewPassword(ctx, (value) => checkPasswordPolicy(value, email));
        });
        const sessions = await sessionService(ctx);
        await sessions.prepare();
        const user = await (await accountService(ctx)).register({ email, password, firstName, lastName });
        const session = await sessions.start(user.id);
        if (ctx.out.json) {
          ctx.out.data(sessionStartedJson(user, session));
        } else {
          ctx.out.success(`Account created for ${user.email}; you are logged in.`);
          ctx.out.line(
            'Next: `djs login --google` to connect your Google Sheets, then `djs update-db -q "…" -l "…"`.',
          );
        }
      }),
    );
}
