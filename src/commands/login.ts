import type { Command } from 'commander';
import type { ActionRunner } from '../cli/main.js';
import { accountService, sessionService } from '../cli/factory.js';
import { askPassword, askText, readStdinLines, requireInteractive } from '../cli/prompts.js';
import { normaliseEmail } from '../services/accounts.js';
import { validateWith } from './register.js';

interface LoginOptions {
  email?: string;
  passwordStdin?: boolean;
}

export function register(program: Command, run: ActionRunner): void {
  program
    .command('login')
    .description('start a session (switches user if another one is logged in)')
    .option('--email <email>', 'the account to log in to')
    .option('--password-stdin', 'read the password from standard input instead of a prompt')
    .addHelpText(
      'after',
      `
Examples:
  $ djs login                                      # prompts for email and password
  $ printf '%s\\n' "$PW" | djs login --email ada@example.com --password-stdin`,
    )
    .action(
      run<LoginOptions>(async (ctx, options) => {
        let email = options.email;
        if (email === undefined) {
          requireInteractive(ctx, 'Pass --email');
          email = await askText(ctx, 'Email:', { required: true, validate: validateWith(normaliseEmail) });
        }
        let password: string;
        if (options.passwordStdin) {
          [password] = (await readStdinLines(ctx, 1)) as [string];
        } else {
          requireInteractive(ctx, 'Pass --password-stdin and pipe the password');
          password = await askPassword(ctx, 'Password:');
        }
        const user = await (await accountService(ctx)).authenticate(email, password);
        const session = await (await sessionService(ctx)).start(user.id);
        if (ctx.out.json) {
          ctx.out.data({ id: user.id, email: user.email, loggedIn: true, sessionExpiresAt: session.expiresAt });
        } else {
          ctx.out.success(`Logged in as ${user.email}.`);
        }
      }),
    );
}
