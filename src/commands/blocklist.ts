import type { Command } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { requireLogin } from '../cli/factory.js';
import { stripControl } from '../core/sanitize.js';

export function register(program: Command, run: ActionRunner): void {
  const blocklist = program
    .command('blocklist')
    .description('companies whose postings you never want to see: add | remove | list')
    .addHelpText(
      'after',
      `
Examples:
  $ djs blocklist add "Staffing Agency Ltd" Acme
  $ djs blocklist list --json
  $ djs blocklist remove acme

A blocked company's postings are left out of \`djs search\`, \`djs review\`, \`djs jobs\` and the new-posting
counts, are not fetched in detail by update-db, and are not appended to your spreadsheet (rows already
there stay). Names are compared ignoring case, accents, punctuation and a trailing legal form
("ACME GmbH" is "Acme"). Removing a company shows its stored postings again.`,
    );

  blocklist
    .command('add')
    .description('block companies (asked for on a terminal)')
    .argument('[company...]', 'company names as postings show them; quote names with spaces')
    .action(run(async (ctx, _options, args) => add(ctx, args)));

  blocklist
    .command('remove')
    .description('unblock companies')
    .argument('[company...]', 'company names as `djs blocklist list` shows them')
    .action(run(async (ctx, _options, args) => remove(ctx, args)));

  blocklist
    .command('list')
    .description('the companies you block')
    .action(run(async (ctx) => list(ctx)));
}

async function companies(ctx: Context, names: string[], usage: string): Promise<string[]> {
  if (names.length > 0) return names;
  const { askText, requireInteractive } = await import('../cli/prompts.js');
  requireInteractive(ctx, `Give at least one company: ${usage}`);
  return [await askText(ctx, 'Company:', { required: true })];
}

async function add(ctx: Context, names: string[]): Promise<void> {
  const { Blocklist, parseCompany } = await import('../jobs/blocklist.js');
  names.forEach(parseCompany); // bad input → exit 2 before the login is even checked
  const { user } = await requireLogin(ctx);
  const blocklist = new Blocklist(await ctx.db(), user.id);
  const given = await companies(ctx, names, 'djs blocklist add <company>...');
  const { added, already } = blocklist.add(given, ctx.clock.now().toISOString());
  if (ctx.out.json) return ctx.out.data({ added, already, blocked: blocklist.list() });
  for (const entry of added) {
    ctx.out.success(
      `Blocked "${stripControl(entry.company)}"${entry.postings > 0 ? `: ${entry.postings} stored posting${entry.postings === 1 ? ' is' : 's are'} hidden now` : ''}.`,
    );
  }
  for (const entry of already) ctx.out.line(`"${stripControl(entry.company)}" was blocked already.`);
}

async function remove(ctx: Context, names: string[]): Promise<void> {
  const { Blocklist, parseCompany } = await import('../jobs/blocklist.js');
  names.forEach(parseCompany);
  const { user } = await requireLogin(ctx);
  const blocklist = new Blocklist(await ctx.db(), user.id);
  const removed = blocklist.remove(await companies(ctx, names, 'djs blocklist remove <company>...'));
  if (ctx.out.json) return ctx.out.data({ removed, blocked: blocklist.list() });
  ctx.out.success(
    `Unblocked ${removed.map((entry) => `"${stripControl(entry.company)}"`).join(', ')}: their postings show again.`,
  );
}

async function list(ctx: Context): Promise<void> {
  const { Blocklist } = await import('../jobs/blocklist.js');
  const { user } = await requireLogin(ctx);
  const blocked = new Blocklist(await ctx.db(), user.id).list();
  if (ctx.out.json) return ctx.out.data(blocked);
  if (blocked.length === 0) {
    ctx.out.line('You block no companies. `djs blocklist add <company>` hides one’s postings.');
    return;
  }
  for (const entry of blocked)
    ctx.out.line(
      `${stripControl(entry.company)}  ${ctx.out.style.dim(`(since ${entry.createdAt.slice(0, 10)})`)}`,
    );
}
