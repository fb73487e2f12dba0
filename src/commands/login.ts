import type { Command } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { accountService, googleLinkService, requireLogin, sessionService } from '../cli/factory.js';
import { sessionStartedJson } from '../cli/render/session.js';
import {
  askConfirm,
  askPassword,
  askText,
  emailOption,
  passwordOption,
  readStdinLines,
} from '../cli/prompts.js';
import { integerIn } from '../cli/validate.js';
import type { Spinner } from '../cli/spinner.js';
import { updateConfig } from '../core/config.js';

interface LoginOptions {
  email?: string;
  passwordStdin?: boolean;
  google?: boolean;
  browser: boolean;
  clientSecretFile?: string;
  port?: number;
  timeout: number;
}

export function register(program: Command, run: ActionRunner): void {
  program
    .command('login')
    .description(
      'start a session (switches user if another one is logged in), or connect Google with --google',
    )
    .option('--email <email>', 'the account to log in to')
    .option('--password-stdin', 'read the password from standard input instead of a prompt')
    .option('--google', 'connect the logged-in account to Google (for Sheets)')
    .option('--no-browser', 'with --google: do not open a browser; paste the redirect URL back instead')
    .option(
      '--client-secret-file <file>',
      'with --google: your Desktop OAuth client file (its path is remembered)',
    )
    .option(
      '--port <port>',
      'with --google: loopback port (default: a random free port)',
      integerIn(1024, 65535),
    )
    .option('--timeout <seconds>', 'with --google: how long to wait for the browser', integerIn(5, 3600), 300)
    .addHelpText(
      'after',
      `
Examples:
  $ djs login                                      # prompts for email and password
  $ printf '%s\\n' "$PW" | djs login --email ada@example.com --password-stdin
  $ djs login --google --client-secret-file ~/Downloads/client_secret_123.json
  $ djs login --google --no-browser                # on a server: open the URL elsewhere, paste the result`,
    )
    .action(
      run<LoginOptions>(async (ctx, options) => {
        if (options.google) return linkGoogle(ctx, options);
        const email = await emailOption(ctx, options.email);
        const password = await passwordOption(ctx, options.passwordStdin, () =>
          askPassword(ctx, 'Password:'),
        );
        const accounts = await accountService(ctx);
        const user = await accounts.authenticate(email, password);
        const session = await (await sessionService(ctx)).start(user.id);
        if (ctx.out.json) {
          ctx.out.data(sessionStartedJson(user, session));
          return;
        }
        ctx.out.success(`Logged in as ${user.email}.`);
        const google = await googleLinkService(ctx);
        if (ctx.interactive && accounts.successfulLogins(user.email) === 1 && !google.isLinked(user.id)) {
          if (
            await askConfirm(
              ctx,
              'Connect your Google account now, so djs can keep your postings in Google Sheets?',
            )
          ) {
            await linkGoogle(ctx, options);
          } else {
            ctx.out.line('You can do it later with `djs login --google`.');
          }
        }
      }),
    );
}

/** `djs login --google`: the loopback OAuth flow for the logged-in user (SPEC §6). */
async function linkGoogle(ctx: Context, options: LoginOptions): Promise<void> {
  const { user } = await requireLogin(ctx);
  if (options.clientSecretFile) {
    const { readClientSecretFile } = await import('../google/client-config.js');
    const client = readClientSecretFile(options.clientSecretFile);
    // Only the path is remembered; the secret stays in the file the person downloaded.
    updateConfig(ctx.paths.config, { googleClientSecretFile: client.source });
  }
  const google = await googleLinkService(ctx);
  const { openUrl } = await import('../cli/open-url.js');
  const { Spinner: WaitSpinner } = await import('../cli/spinner.js');
  let waiting: Spinner | null = null;
  const result = await google
    .link(
      user.id,
      {
        presentUrl: async (url) => {
          ctx.out.info(
            `Open this URL in a browser to let djs use Google Sheets for ${user.email}:\n\n  ${url}\n`,
          );
          if (options.browser) {
            if (openUrl(url, ctx.env)) {
              const wait = 'Waiting for you to approve in the browser that just opened…';
              // A spinner on a live terminal; the line as it is in a log.
              waiting = await WaitSpinner.start(ctx, wait);
              if (!waiting) ctx.out.info(wait);
            } else ctx.out.info('No browser could be opened here; open the URL above yourself.');
          }
        },
        pasteRedirect: options.browser
          ? undefined
          : async (signal) => {
              const message =
                'After approving, your browser goes to an http://127.0.0.1:… address (it may show an error page). Paste that whole URL here:';
              if (ctx.interactive) return askText(ctx, message, { required: true, signal });
              ctx.out.info(message);
              const [line] = (await readStdinLines(ctx, 1, '--no-browser')) as [string];
              return line;
            },
      },
      { timeoutMs: options.timeout * 1000, port: options.port, signal: ctx.abort.signal },
    )
    .finally(() => waiting?.stop());
  if (ctx.out.json)
    ctx.out.data({ google: { linked: true, scopes: result.scopes, linkedAt: result.linkedAt } });
  else ctx.out.success('Google is connected. Next: `djs sheets create` to make your spreadsheet.');
}
