import type { Command } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import { accountService, googleLinkService, requireLogin, sessionService } from '../cli/factory.js';
import {
  askConfirm,
  askPassword,
  askNewPassword,
  askText,
  readStdinLines,
  requireInteractive,
} from '../cli/prompts.js';
import type { Context } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { stripControl } from '../core/sanitize.js';
import type { User } from '../accounts/accounts.js';
import { checkPasswordPolicy } from '../accounts/passwords.js';
import { deleteUserEverywhere } from '../accounts/delete-user.js';

interface UpdateOptions {
  email?: string;
  firstName?: string;
  lastName?: string;
}

function profileJson(user: User): Record<string, unknown> {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

const describeKeywords = (keywords: string[]): string =>
  stripControl(keywords.map((keyword) => (/\s/.test(keyword) ? `"${keyword}"` : keyword)).join(' '));

function printProfile(ctx: Context, user: User): void {
  if (ctx.out.json) return ctx.out.data(profileJson(user));
  const { bold } = ctx.out.style;
  ctx.out.line(`${bold('Email')}       ${user.email}`);
  ctx.out.line(`${bold('First name')}  ${stripControl(user.firstName ?? '—')}`);
  ctx.out.line(`${bold('Last name')}   ${stripControl(user.lastName ?? '—')}`);
  ctx.out.line(`${bold('Created')}     ${user.createdAt}`);
}

export function register(program: Command, run: ActionRunner): void {
  const profile = program
    .command('profile')
    .description('show or change your account: show | update | keywords | password | delete')
    .addHelpText(
      'after',
      `
Examples:
  $ djs profile show --json
  $ djs profile update --first-name Ada --last-name Lovelace
  $ djs profile keywords python react "machine learning"
  $ printf '%s\\n%s\\n' "$OLD" "$NEW" | djs profile password --password-stdin
  $ djs profile delete --yes`,
    );

  profile
    .command('show', { isDefault: true })
    .description('show your profile')
    .action(run(async (ctx) => printProfile(ctx, (await requireLogin(ctx)).user)));

  profile
    .command('update')
    .description('change your email or names (prompts on a terminal when no flag is given)')
    .option('--email <email>', 'new email address')
    .option('--first-name <name>', 'new first name ("" clears it)')
    .option('--last-name <name>', 'new last name ("" clears it)')
    .action(
      run<UpdateOptions>(async (ctx, options) => {
        const { user } = await requireLogin(ctx);
        let changes: UpdateOptions = {
          email: options.email,
          firstName: options.firstName,
          lastName: options.lastName,
        };
        if (Object.values(changes).every((value) => value === undefined)) {
          requireInteractive(ctx, 'Pass at least one of --email, --first-name, --last-name');
          changes = {
            email: await askText(ctx, 'Email:', { default: user.email }),
            firstName: await askText(ctx, 'First name:', { default: user.firstName ?? '' }),
            lastName: await askText(ctx, 'Last name:', { default: user.lastName ?? '' }),
          };
        }
        const updated = (await accountService(ctx)).update(user.id, changes);
        if (!ctx.out.json) ctx.out.success('Profile updated.');
        printProfile(ctx, updated);
      }),
    );

  profile
    .command('keywords')
    .description('the keywords that rank `djs review` and `djs search --new` (and the cron notification)')
    .argument('[keywords...]', 'words or "quoted phrases"; replaces the ones you have')
    .option('--clear', 'remove all your keywords (the review then shows the newest first)')
    .addHelpText(
      'after',
      `
Examples:
  $ djs profile keywords python react "machine learning"   set them
  $ djs profile keywords                                    show them (and, on a terminal, change them)
  $ djs profile keywords --clear

A posting's score is how many of your keywords its title or description mentions, as in \`djs search\`.`,
    )
    .action(
      run<{ clear?: boolean }>(async (ctx, options, args) => {
        const { user } = await requireLogin(ctx);
        const { ProfileKeywords } = await import('../accounts/keywords.js');
        const keywords = new ProfileKeywords(await ctx.db(), user.id);
        if (options.clear) {
          if (args.length > 0) throw new UsageError('Give keywords or --clear, not both.');
          keywords.clear();
          if (ctx.out.json) return ctx.out.data({ keywords: [] });
          return ctx.out.success('Keywords cleared: the review shows the newest postings first.');
        }
        if (args.length > 0) {
          const saved = keywords.replace(args);
          if (ctx.out.json) return ctx.out.data({ keywords: saved });
          return ctx.out.success(`Keywords saved: ${describeKeywords(saved)}.`);
        }
        const current = keywords.list();
        if (ctx.out.json) return ctx.out.data({ keywords: current });
        ctx.out.line(current.length > 0 ? describeKeywords(current) : 'No keywords yet.');
        if (!ctx.interactive) return;
        const { splitKeywords } = await import('./search.js');
        const typed = await askText(ctx, 'New keywords ("multi word" in quotes; Enter keeps these):');
        if (typed.trim() === '') return;
        ctx.out.success(`Keywords saved: ${describeKeywords(keywords.replace(splitKeywords(typed)))}.`);
      }),
    );

  profile
    .command('password')
    .description('change your password; other sessions of your account are ended')
    .option('--password-stdin', 'read the current and the new password as two lines of standard input')
    .action(
      run<{ passwordStdin?: boolean }>(async (ctx, options) => {
        const { user, session } = await requireLogin(ctx);
        let current: string;
        let next: string;
        if (options.passwordStdin) {
          [current, next] = (await readStdinLines(ctx, 2)) as [string, string];
        } else {
          requireInteractive(ctx, 'Pass --password-stdin with the current and the new password on two lines');
          current = await askPassword(ctx, 'Current password:');
          ctx.out.info('Choose the new password.');
          next = await askNewPassword(ctx, (value) => checkPasswordPolicy(value, user.email));
        }
        await (await accountService(ctx)).changePassword(user.id, current, next);
        (await sessionService(ctx)).revokeAllForUser(user.id, 'password changed', session.sessionId);
        if (ctx.out.json) ctx.out.data({ changed: true });
        else ctx.out.success('Password changed; your other sessions have been ended.');
      }),
    );

  profile
    .command('delete')
    .description('delete your account and all its data (postings, searches, Google link)')
    .option('--yes', 'do not ask for confirmation (required when not on a terminal)')
    .action(
      run<{ yes?: boolean }>(async (ctx, options) => {
        const { user } = await requireLogin(ctx);
        if (!options.yes) {
          requireInteractive(ctx, 'Pass --yes to delete the account');
          const confirmed = await askConfirm(
            ctx,
            `Delete the account ${user.email} and all its data? This cannot be undone.`,
          );
          if (!confirmed) {
            ctx.out.info('Cancelled; nothing was deleted.');
            return;
          }
        }
        const google = await googleLinkService(ctx);
        await deleteUserEverywhere({
          forgetGoogle: async (userId) => {
            const { warning } = await google.forget(userId);
            if (warning) ctx.out.warn(warning);
          },
          accounts: await accountService(ctx),
          sessions: await sessionService(ctx),
          userId: user.id,
        });
        if (ctx.out.json) ctx.out.data({ deleted: true, email: user.email });
        else ctx.out.success(`The account ${user.email} and all its data have been deleted.`);
      }),
    );
}
