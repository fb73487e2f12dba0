import type { Command } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { requireLogin } from '../cli/factory.js';
import { repeatable, text } from '../cli/validate.js';
import { UsageError } from '../core/errors.js';
import { stripControl } from '../core/sanitize.js';

interface AddOptions {
  query?: string[];
  location?: string[];
}

export function register(program: Command, run: ActionRunner): void {
  const searches = program
    .command('searches')
    .description('the LinkedIn searches `djs update-db` runs when given no -q/-l: list | add | remove')
    .addHelpText(
      'after',
      `
Examples:
  $ djs searches add -q "python developer" -q "data engineer" -l Berlin -l Remote   (4 searches)
  $ djs searches list
  $ djs searches remove 2 "data engineer@Remote"
  $ djs searches list --json | jq '.[].query'`,
    );

  searches
    .command('list')
    .description('your saved searches, numbered (the numbers `searches remove` takes)')
    .action(run(async (ctx) => list(ctx)));

  searches
    .command('add')
    .description('save every query × location (asked for on a terminal)')
    .option('-q, --query <text>', 'a search query (repeatable)', repeatable(text('query')))
    .option('-l, --location <text>', 'a location (repeatable)', repeatable(text('location')))
    .action(run<AddOptions>(async (ctx, options) => add(ctx, options)));

  searches
    .command('remove')
    .description('remove saved searches by their number in `searches list` or as "query@location"')
    .argument('[search...]', 'a number from `djs searches list`, or "query@location"')
    .action(run(async (ctx, _options, args) => remove(ctx, args)));
}

async function list(ctx: Context): Promise<void> {
  const { SavedSearches } = await import('../jobs/saved-searches.js');
  const { user } = await requireLogin(ctx);
  const saved = new SavedSearches(await ctx.db(), user.id).list();
  if (ctx.out.json) return ctx.out.data(saved);
  if (saved.length === 0) {
    ctx.out.line('No saved searches yet. `djs searches add -q "python developer" -l Berlin` saves one.');
    return;
  }
  const { renderTable } = await import('../cli/render/table.js');
  ctx.out.line(
    await renderTable(
      ctx,
      ['#', 'Query', 'Location'],
      saved.map((search) => [
        String(search.number),
        stripControl(search.query),
        stripControl(search.location),
      ]),
      [false, true, true],
    ),
  );
  ctx.out.line(ctx.out.style.dim('`djs update-db` runs them all; `djs searches remove <#>` removes one.'));
}

async function add(ctx: Context, options: AddOptions): Promise<void> {
  let queries = options.query ?? [];
  let locations = options.location ?? [];
  if (queries.length === 0 || locations.length === 0) {
    const { askText, requireInteractive, validateWith } = await import('../cli/prompts.js');
    requireInteractive(ctx, 'Give at least one -q/--query and one -l/--location');
    const ask = async (label: 'query' | 'location'): Promise<string[]> => {
      const answer = await askText(ctx, label === 'query' ? 'Query:' : 'Location:', {
        required: true,
        validate: validateWith(text(label)),
      });
      return [text(label)(answer)];
    };
    if (queries.length === 0) queries = await ask('query');
    if (locations.length === 0) locations = await ask('location');
  }
  const { SavedSearches, searchesFor } = await import('../jobs/saved-searches.js');
  const { user } = await requireLogin(ctx);
  const saved = new SavedSearches(await ctx.db(), user.id);
  const given = searchesFor(queries, locations);
  const added = saved.add(given, ctx.clock.now().toISOString());
  if (ctx.out.json) return ctx.out.data({ added, searches: saved.list() });
  ctx.out.success(
    `Saved ${added} new search${added === 1 ? '' : 'es'}${added < given.length ? ` (${given.length - added} of the ${given.length} given were saved already)` : ''}.`,
  );
  ctx.out.line('`djs update-db` runs your saved searches; `djs searches list` shows them.');
}

async function remove(ctx: Context, references: string[]): Promise<void> {
  const { SavedSearches, formatSearch } = await import('../jobs/saved-searches.js');
  const { user } = await requireLogin(ctx);
  const saved = new SavedSearches(await ctx.db(), user.id);
  if (references.length === 0) {
    const { askText, requireInteractive } = await import('../cli/prompts.js');
    requireInteractive(ctx, 'Give the searches to remove: `djs searches remove <number|query@location>...`');
    const current = saved.list();
    if (current.length === 0) throw new UsageError('You have no saved searches to remove.');
    for (const search of current) ctx.out.line(`  ${search.number}  ${stripControl(formatSearch(search))}`);
    references = (await askText(ctx, 'Numbers to remove (separated by spaces):', { required: true }))
      .split(/[\s,]+/)
      .filter(Boolean);
  }
  const removed = saved.remove(references);
  if (ctx.out.json) return ctx.out.data({ removed, searches: saved.list() });
  ctx.out.success(
    `Removed ${removed.length} saved search${removed.length === 1 ? '' : 'es'}: ${removed.map((s) => `"${stripControl(formatSearch(s))}"`).join(', ')}.`,
  );
}
