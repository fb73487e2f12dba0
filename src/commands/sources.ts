import type { Command } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { requireLogin } from '../cli/factory.js';
import { stripControl } from '../core/sanitize.js';
import {
  BOARD_KINDS,
  FEED_KINDS,
  formatSourceSpec,
  parseSourceSpec,
  type SourceSpec,
} from '../jobs/model.js';

const KINDS = `${BOARD_KINDS.map((kind) => `${kind}:<name>`).join(', ')}, ${FEED_KINDS.join(', ')}`;

export function register(program: Command, run: ActionRunner): void {
  const sources = program
    .command('sources')
    .description('the company boards and job feeds update-db reads besides LinkedIn: add | list | remove')
    .addHelpText(
      'after',
      `
Examples:
  $ djs sources add greenhouse:stripe lever:palantir ashby:notion remotive
  $ djs sources list
  $ djs sources remove lever:palantir

Boards: greenhouse:<board>, lever:<site>, ashby:<board>, smartrecruiters:<company>,
recruitee:<company>, workable:<account>. Feeds: ${FEED_KINDS.join(', ')}.
A board's name is the part of its address after the host: boards.greenhouse.io/<name>,
jobs.lever.co/<name>, jobs.ashbyhq.com/<name>, jobs.smartrecruiters.com/<name>, <name>.recruitee.com,
apply.workable.com/<name>. Every posting of a watched board is kept; a feed's postings when they match
your saved searches (or the -q/-l of a run). Exit codes: 2 for a bad spec or a board that does not exist,
1 when a board cannot be reached (nothing is added then).`,
    );

  sources
    .command('add')
    .description('watch boards and feeds: each board is checked to exist first')
    .argument(
      '[spec...]',
      'greenhouse:<board>, lever:<site>, … or a feed (remotive, arbeitnow, remoteok); asked for on a terminal',
    )
    .action(run(async (ctx, _options, args) => runSourcesAdd(ctx, await specsOrAsk(ctx, args, 'add'))));

  sources
    .command('list')
    .description('what you watch, when each was last read, its open postings and its last error')
    .action(run(async (ctx) => runSourcesList(ctx)));

  sources
    .command('remove')
    .description('stop watching boards and feeds (their postings stay)')
    .argument('[spec...]', 'as `djs sources list` shows it; asked for on a terminal')
    .action(run(async (ctx, _options, args) => runSourcesRemove(ctx, await specsOrAsk(ctx, args, 'remove'))));
}

/** The specs given, or (from the menu, on a terminal) the ones typed at a prompt; exit 2 off a terminal. */
async function specsOrAsk(ctx: Context, args: string[], verb: 'add' | 'remove'): Promise<SourceSpec[]> {
  if (args.length > 0) return args.map(parseSourceSpec);
  const { askText, requireInteractive, validateWith } = await import('../cli/prompts.js');
  requireInteractive(ctx, `Name the sources: djs sources ${verb} <spec>...`);
  const answer = await askText(ctx, `Sources to ${verb}, separated by spaces (${KINDS}):`, {
    required: true,
    validate: validateWith((text) => text.split(/\s+/).filter(Boolean).map(parseSourceSpec)),
  });
  return answer.split(/\s+/).filter(Boolean).map(parseSourceSpec);
}

async function runSourcesAdd(ctx: Context, specs: SourceSpec[]): Promise<void> {
  const { user } = await requireLogin(ctx);
  const db = await ctx.db();
  const [{ WatchedSources, confirmBoardsExist }, { openListingSource, sourceDeps }] = await Promise.all([
    import('../jobs/watched-sources.js'),
    import('../sources/registry.js'),
  ]);
  const deps = sourceDeps(ctx.env, ctx.clock, db, {
    concurrency: 1,
    onEvent: (event) =>
      ctx.out.verbose(`${event.type} ${event.url}${event.status ? ` (${event.status})` : ''}`),
  });
  try {
    await confirmBoardsExist(specs, (spec) => openListingSource(spec, deps), ctx.abort.signal);
  } finally {
    await deps.clients.close();
  }
  const added = new WatchedSources(db, user.id).add(specs, ctx.clock.now().toISOString());
  if (ctx.out.json) return ctx.out.data({ added, given: specs.map(formatSourceSpec) });
  ctx.out.success(
    `Watching ${specs.map(formatSourceSpec).join(', ')} (${added} new). \`djs update-db\` reads them with your searches.`,
  );
}

async function runSourcesList(ctx: Context): Promise<void> {
  const { user } = await requireLogin(ctx);
  const { WatchedSources } = await import('../jobs/watched-sources.js');
  const sources = new WatchedSources(await ctx.db(), user.id).list();
  if (ctx.out.json) return ctx.out.data(sources);
  if (sources.length === 0) {
    ctx.out.line(
      'You watch no boards or feeds yet. Add some with e.g. `djs sources add greenhouse:stripe remotive`.',
    );
    return;
  }
  const { renderTable } = await import('../cli/render/table.js');
  const day = (iso: string | null): string => (iso ? iso.slice(0, 16).replace('T', ' ') : 'never');
  ctx.out.line(
    await renderTable(
      ctx,
      ['source', 'added', 'last checked', 'open postings', 'last error'],
      sources.map((source) => [
        stripControl(source.spec),
        day(source.addedAt),
        day(source.lastCheckedAt),
        String(source.openPostings),
        stripControl(source.lastError ?? ''),
      ]),
      [false, false, false, false, true],
    ),
  );
}

async function runSourcesRemove(ctx: Context, specs: SourceSpec[]): Promise<void> {
  const { user } = await requireLogin(ctx);
  const { WatchedSources } = await import('../jobs/watched-sources.js');
  new WatchedSources(await ctx.db(), user.id).remove(specs);
  if (ctx.out.json) return ctx.out.data({ removed: specs.map(formatSourceSpec) });
  ctx.out.success(
    `No longer watching ${specs.map(formatSourceSpec).join(', ')}; the postings found there stay in your database.`,
  );
}
