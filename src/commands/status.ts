import type { Command } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { requireLogin } from '../cli/factory.js';
import { DjsError } from '../core/errors.js';
import { stripControl } from '../core/sanitize.js';
import { accountOverview } from '../accounts/overview.js';

export function register(program: Command, run: ActionRunner): void {
  program
    .command('status')
    .description('who is logged in, session expiry, Google link, spreadsheet, postings, last update')
    .addHelpText('after', '\nExamples:\n  $ djs status\n  $ djs status --json | jq .postings')
    .action(run(runStatus));
}

/** Who is logged in and what their data holds; under --json, a logged-out answer before exit 4. */
export async function runStatus(ctx: Context): Promise<void> {
  let login;
  try {
    login = await requireLogin(ctx);
  } catch (error) {
    if (ctx.out.json && error instanceof DjsError) {
      ctx.out.data({
        loggedIn: false,
        email: null,
        google: { linked: false },
        spreadsheet: null,
        postings: 0,
        newPostings: 0,
        lastUpdate: null,
        failedForGood: [],
      });
    }
    throw error;
  }
  const { user, session } = login;
  const overview = accountOverview(await ctx.db(), user.id);
  if (ctx.out.json) {
    ctx.out.data({
      loggedIn: true,
      email: user.email,
      session: { expiresAt: session.expiresAt, accessExpiresAt: session.accessExpiresAt },
      ...overview,
      home: ctx.paths.home,
    });
    return;
  }
  const { bold, dim } = ctx.out.style;
  const last = overview.lastUpdate;
  ctx.out.line(`${bold('Logged in as')}  ${user.email}`);
  ctx.out.line(
    `${bold('Session')}       active until ${session.expiresAt} ${dim('(extended each time djs runs)')}`,
  );
  ctx.out.line(
    `${bold('Google')}        ${overview.google.linked ? 'linked' : 'not linked — run `djs login --google`'}`,
  );
  ctx.out.line(
    `${bold('Spreadsheet')}   ${overview.spreadsheet ? `${stripControl(overview.spreadsheet.title ?? '')} ${overview.spreadsheet.url}` : 'none'}`,
  );
  ctx.out.line(`${bold('Postings')}      ${overview.postings}`);
  ctx.out.line(
    `${bold('New')}           ${overview.newPostings}${overview.newPostings > 0 ? ` ${dim('(djs review)')}` : ''}`,
  );
  ctx.out.line(
    `${bold('Last update')}   ${last ? `${last.startedAt} — ${last.outcome ?? 'did not finish'}, ${last.postingsFetched} postings fetched, ${last.failed} failed` : 'never (run `djs update-db`)'}`,
  );
  const failed = overview.failedForGood;
  if (failed.length > 0) {
    ctx.out.line(
      `${bold('Failed')}        ${failed.length} posting${failed.length === 1 ? '' : 's'} failed for good, no longer asked for ${dim('(`djs update-db --retry-failed` tries again)')}`,
    );
    for (const posting of failed) {
      ctx.out.line(
        `              ${posting.jobId}: ${stripControl(posting.lastError)} ${dim(`(failed on ${posting.attempts} runs; given up ${posting.failedForGoodAt})`)}`,
      );
    }
  }
  ctx.out.line(`${bold('Data folder')}   ${ctx.paths.home}`);
}
