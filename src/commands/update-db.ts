import { Command, Option } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { requireLogin } from '../cli/factory.js';
import { integerIn, repeatable, text } from '../cli/validate.js';
import { DjsError, ExitCode, InterruptedError, UsageError } from '../core/errors.js';
import { stripControl } from '../core/sanitize.js';
import { describeFailed, GIVE_UP_AFTER_RUNS, type CollectSummary } from '../jobs/collector.js';
import type { SavedSearch } from '../jobs/store.js';
import { mergeFragmentedIndexes } from '../jobs/search-index.js';
import type { JobType, Since } from '../jobs/job-source.js';
import type { PoliteEvent } from '../net/polite-client.js';
import type { LinkedInParser } from '../sources/linkedin/parser-worker-client.js';

export interface UpdateDbOptions {
  query?: string[];
  location?: string[];
  since?: Since;
  perSearch: number;
  remote?: boolean;
  jobType?: JobType;
  save?: boolean;
  sheets: boolean;
  concurrency: number;
  retryFailed?: boolean;
  notify?: boolean;
  source?: string[];
}

const JOB_TYPES: JobType[] = [
  'full-time',
  'part-time',
  'contract',
  'temporary',
  'internship',
  'volunteer',
  'other',
];

export function register(program: Command, run: ActionRunner): void {
  program
    .command('update-db')
    .description(
      'collect LinkedIn postings for queries × locations (default: your saved searches) and your watched boards and feeds',
    )
    .option('-q, --query <text>', 'a search query (repeatable)', repeatable(text('query')))
    .option('-l, --location <text>', 'a location (repeatable)', repeatable(text('location')))
    .addOption(
      new Option('--since <period>', 'only postings from the last period').choices(['24h', 'week', 'month']),
    )
    .option('--per-search <n>', 'links to collect per query × location', integerIn(1, 1000), 60)
    .option('--remote', 'remote jobs only')
    .addOption(new Option('--job-type <type>', 'employment type').choices(JOB_TYPES))
    .option('--save', 'save these queries and locations as your saved searches')
    .option(
      '--source <source>',
      'read only this: linkedin, a kind (greenhouse …) or a watched source (greenhouse:stripe); repeatable',
      repeatable(text('source')),
    )
    .option('--no-sheets', 'do not sync the new rows to your spreadsheet afterwards')
    .option('--concurrency <n>', 'requests in flight at most', integerIn(1, 16), 4)
    .option('--retry-failed', 'also ask again for postings that failed for good (see `djs status`)')
    .option(
      '--notify',
      'afterwards, a desktop notification when new postings match your keywords (what `schedule install --notify` runs)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ djs update-db -q "python developer" -q "data engineer" -l Berlin -l Remote --save
  $ djs update-db                               # run the saved searches (what cron does)
  $ djs update-db -q rust -l "San Francisco Bay Area" --since week --json
  $ djs update-db --source greenhouse:stripe --source remotive   # just these two (see \`djs sources\`)

Environment: DJS_RATE_LIMIT (requests/minute, default 20; 0 = off), DJS_LINKEDIN_URL, HTTPS_PROXY, and
the boards' DJS_GREENHOUSE_URL … DJS_RECRUITEE_URL.
A page or posting that fails is tried again at the end of the run; one that still fails is retried by
the next run, and after failing on ${GIVE_UP_AFTER_RUNS} runs it is failed for good (--retry-failed tries again).
Every posting of a watched board is kept; a feed's postings when they match your searches (or -q/-l).
A board or feed that fails does not stop the others.
Exit codes: 0 done, 3 partly done (the rest is retried next run), 75 another update-db is running.`,
    )
    .action(run<UpdateDbOptions>(async (ctx, options) => runUpdateDb(ctx, options)));
}

/**
 * Collects the postings and reports the outcome as the exit code (SPEC §7). `makeParser`: how pages are
 * parsed; by default in a worker thread, which runs only from the built files, so an in-process test
 * passes a parser that calls sources/linkedin/parse.ts directly.
 */
export async function runUpdateDb(
  ctx: Context,
  options: UpdateDbOptions,
  makeParser?: () => LinkedInParser,
): Promise<void> {
  const queries = options.query ?? [];
  const locations = options.location ?? [];
  if ((queries.length === 0) !== (locations.length === 0)) {
    throw new UsageError(
      'Give both at least one -q/--query and one -l/--location, or neither to run your saved searches.',
    );
  }
  if (options.save && queries.length === 0)
    throw new UsageError('--save needs -q/--query and -l/--location.');
  const { linkedInClientSettings, linkedInClient } = await import('../sources/linkedin/client.js');
  const settings = linkedInClientSettings(ctx.env);

  const { user } = await requireLogin(ctx);
  const db = await ctx.db();
  const [
    { JobStore },
    { WatchedSources, selectSources },
    { ProcessLock },
    { collect },
    { LinkedInSource },
    { WorkerParser },
    { openListingSource, sourceDeps },
    { readBoardJob },
  ] = await Promise.all([
    import('../jobs/store.js'),
    import('../jobs/watched-sources.js'),
    import('../db/process-lock.js'),
    import('../jobs/collector.js'),
    import('../sources/linkedin/source.js'),
    import('../sources/linkedin/parser-worker-client.js'),
    import('../sources/registry.js'),
    import('../sources/board-job.js'),
  ]);
  const store = new JobStore(db, user.id);
  const watched = new WatchedSources(db, user.id);
  const now = (): string => ctx.clock.now().toISOString();

  const selection = selectSources(options.source ?? [], watched.specs());
  const given: SavedSearch[] = queries.flatMap((query) => locations.map((location) => ({ query, location })));
  const feedSearches = given.length > 0 ? given : store.savedSearches();
  const searches = selection.linkedIn ? feedSearches : [];
  if (selection.linkedIn && searches.length === 0 && selection.specs.length === 0) {
    throw new UsageError(
      'You have no saved searches and watch no boards. Run e.g. `djs update-db -q "python developer" -l Berlin --save` once to save some, or `djs sources add greenhouse:<board>`.',
    );
  }
  if (options.save) {
    const added = store.saveSearches(given, now());
    ctx.out.info(`Saved ${added} new search${added === 1 ? '' : 'es'} (${given.length} given).`);
  }

  const lock = new ProcessLock(db, 'update-db');
  lock.acquire(now(), 'Another `djs update-db` is already running on this database; try again later.');
  const { CollectProgressView } = await import('../cli/progress.js');
  const onEvent = (event: PoliteEvent): void =>
    ctx.out.verbose(
      `${event.type} ${event.url}${event.status ? ` (${event.status})` : ''}${event.waitMs ? `, waiting ${Math.round(event.waitMs)} ms` : ''}`,
    );
  const client = linkedInClient(settings, { concurrency: options.concurrency, onEvent });
  const boards = sourceDeps(ctx.env, ctx.clock, db, { concurrency: options.concurrency, onEvent });
  const parser = makeParser?.() ?? new WorkerParser();
  const nudge = options.notify ? (await import('../schedule/notify.js')).prepareNudge(db, user.id) : null;
  // Started last, right before the try whose finally stops it.
  const view = await CollectProgressView.start(ctx);
  let summary: CollectSummary;
  try {
    summary = await collect(
      {
        store,
        source: new LinkedInSource(client, parser, ctx.clock),
        sources: { specs: selection.specs, open: (spec) => openListingSource(spec, boards), watched },
        readBoardJob: (job, signal) => readBoardJob(job, boards, signal),
        clock: ctx.clock,
        signal: ctx.abort.signal,
        onProgress: (progress) => view.update(progress),
        log: (message) => view.log(message),
      },
      {
        searches,
        feedSearches,
        perSearch: options.perSearch,
        concurrency: options.concurrency,
        since: options.since,
        remote: options.remote,
        jobType: options.jobType,
        retryFailed: options.retryFailed,
      },
    );
    // Searches stay as fast after a long collection as after the first: FTS5 adds a segment per stored
    // posting, and an index of many is merged here, while this run still holds the lock.
    if (summary.outcome !== 'interrupted') {
      const merged = mergeFragmentedIndexes(db);
      if (merged.length > 0) view.log(`Merged the search index (${merged.join(', ')}).`);
    }
  } finally {
    view.finish();
    lock.release();
    await Promise.all([client.close(), parser.close(), boards.clients.close()]);
  }
  // SPEC §7: new rows go to the active spreadsheet (issue 6); a failed sync is reported after the summary.
  const sheetsFailure =
    options.sheets && summary.outcome !== 'interrupted'
      ? await (await import('../cli/sheets-session.js')).syncAfterUpdate(ctx, summary)
      : null;
  await render(ctx, summary);
  if (nudge && summary.outcome !== 'interrupted') {
    // A nudge is a courtesy: whatever happens to it, the run's outcome stays the run's own.
    const nudged = await nudge.send(ctx.env).catch((error: Error) => {
      ctx.out.verbose(`No desktop notification: ${error.message}`);
      return null;
    });
    if (nudged?.outcome === 'sent') ctx.out.info(`Notified: ${nudged.text}.`);
    else if (nudged) ctx.out.verbose(`No desktop notification (${nudged.outcome}): ${nudged.text}.`);
  }
  exitFor(summary);
  if (sheetsFailure) throw sheetsFailure;
}

async function render(ctx: Context, summary: CollectSummary): Promise<void> {
  const json = {
    searches: summary.searches,
    linksFound: summary.linksFound,
    newLinks: summary.newLinks,
    postingsFetched: summary.postingsFetched,
    failed: summary.failed,
    failedSearches: summary.failedSearches,
    failedPostings: summary.failedPostings,
    failedForGood: summary.failedForGood,
    failures: summary.failures,
    gone: summary.gone,
    blocked: summary.blocked,
    sources: summary.sources,
    sourcesUnchanged: summary.sourcesUnchanged,
    sourcePostingsNew: summary.sourcePostingsNew,
    postingsClosed: summary.postingsClosed,
    failedSources: summary.failedSources,
    skippedBlocked: summary.skippedBlocked,
    applyLinksRead: summary.applyLinksRead,
    watchSuggestions: summary.watchSuggestions,
    sheetRowsAppended: summary.sheetRowsAppended,
    durationMs: summary.durationMs,
    outcome: summary.outcome,
    runId: summary.runId,
  };
  for (const failure of summary.failures)
    ctx.out.verbose(`failed: ${stripControl(describeFailure(failure))}`);
  if (ctx.out.json) return ctx.out.data(json);
  // The boards LinkedIn's apply links pointed at, offered for watching (names from the network: sanitised).
  const suggestions = summary.watchSuggestions.map(
    (spec) => `LinkedIn applies at a board you do not watch: djs sources add ${stripControl(spec)}`,
  );
  if (!ctx.io.stdout.isTTY) {
    ctx.out.line(
      `${ctx.clock.now().toISOString()} update-db ${summary.outcome}: ${Object.entries(json)
        .filter(([k]) => !['outcome', 'failures', 'watchSuggestions'].includes(k))
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ')}`,
    );
    for (const suggestion of suggestions) ctx.out.line(suggestion);
    return;
  }
  const { default: Table } = await import('cli-table3');
  const table = new Table({ style: { head: [], border: [] } });
  table.push(
    { Searches: String(summary.searches) },
    { 'Links found': `${summary.linksFound} (${summary.newLinks} new)` },
    { 'Postings fetched': String(summary.postingsFetched) },
    ...(summary.sourcesTotal > 0
      ? [
          {
            Sources: `${summary.sources} read (${summary.sourcesUnchanged} unchanged): ${summary.sourcePostingsNew} new postings, ${summary.postingsClosed} closed`,
          },
        ]
      : []),
    ...(summary.skippedBlocked > 0
      ? [{ 'Blocked companies': `${summary.skippedBlocked} postings left out` }]
      : []),
    {
      Failed: describeFailed(summary.failedSearches, summary.failedPostings, summary.failedSources) || '0',
    },
    ...(summary.gone > 0 ? [{ 'No longer on LinkedIn': String(summary.gone) }] : []),
    { Blocked: summary.blocked ? 'yes — LinkedIn showed its sign-in wall' : 'no' },
    { Duration: `${(summary.durationMs / 1000).toFixed(1)} s` },
    { Outcome: summary.outcome },
  );
  ctx.out.line(table.toString());
  for (const suggestion of suggestions) ctx.out.line(suggestion);
}

function exitFor(summary: CollectSummary): void {
  switch (summary.outcome) {
    case 'ok':
      return;
    case 'interrupted':
      throw new InterruptedError(
        'Interrupted; everything collected so far is saved and the next run picks up the rest.',
      );
    case 'failed':
      throw new DjsError(
        `Nothing could be collected: ${summary.searches > 0 ? 'LinkedIn' : 'none of your boards and feeds'} answered${summary.searches > 0 && summary.sourcesTotal > 0 ? ', nor did your boards and feeds' : ''}. Check your network (or HTTPS_PROXY) and try again; run with --verbose for details.`,
      );
    case 'partial':
      throw new DjsError(
        summary.blocked
          ? 'LinkedIn blocked further requests, so djs stopped asking; what was collected is saved and the next run continues.'
          : failureMessage(summary),
        ExitCode.partial,
      );
  }
}

/** What failed, what happens to it next, and where to see more: e.g. "1 posting failed; the next run retries it. …" */
function failureMessage(summary: CollectSummary): string {
  const failed = describeFailed(summary.failedSearches, summary.failedPostings, summary.failedSources);
  const givenUp = summary.failedForGood;
  const retried = summary.failed - givenUp;
  const one = summary.failed === 1;
  const retry =
    givenUp === 0
      ? `the next run retries ${one ? 'it' : 'them'}`
      : retried > 0
        ? `${retried} of them ${retried === 1 ? 'is' : 'are'} retried by the next run, and`
        : '';
  const gaveUp =
    givenUp === 0
      ? ''
      : `${one ? 'it has' : `${givenUp} ${givenUp === 1 ? 'has' : 'have'}`} now failed on ${GIVE_UP_AFTER_RUNS} runs and ${givenUp === 1 ? 'is' : 'are'} no longer asked for (\`djs update-db --retry-failed\` tries again)`;
  const what = [retry, gaveUp].filter(Boolean).join(' ');
  const sources = summary.failures.flatMap((failure) =>
    failure.kind === 'source' ? [`${failure.source} (${failure.reason})`] : [],
  );
  const named = sources.length > 0 ? ` Sources that failed: ${stripControl(sources.join(', '))}.` : '';
  return `${failed} failed; ${what}.${named} Everything else is saved (--verbose lists what failed and why).`;
}

function describeFailure(failure: CollectSummary['failures'][number]): string {
  switch (failure.kind) {
    case 'search':
      return `search ${failure.query}@${failure.location}: ${failure.reason}`;
    case 'posting':
      return `posting ${failure.jobId}: ${failure.reason}${failure.failedForGood ? ` (failed for good after ${GIVE_UP_AFTER_RUNS} runs)` : ''}`;
    case 'source':
      return `source ${failure.source}: ${failure.reason}`;
  }
}
