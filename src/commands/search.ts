import { InvalidArgumentError, type Command } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { requireLogin } from '../cli/factory.js';
import { argumentParser, integerIn, text } from '../cli/validate.js';
import { UsageError } from '../core/errors.js';
import { JOB_STATUSES, parseCurrency, parseJobStatus, type JobStatus } from '../jobs/model.js';

const PERIOD_DAYS: Record<string, number> = { '24h': 1, week: 7, month: 30 };

export type Since = { days: number } | { date: string };

export interface SearchOptions {
  location?: string;
  limit: number;
  since?: Since;
  status?: JobStatus;
  csv?: boolean;
  history?: boolean;
  new?: boolean;
  includeClosed?: boolean;
  minSalary?: number;
  currency?: string;
}

/** --since: 24h, week, month, or a calendar date YYYY-MM-DD. */
export function parseSince(value: string): Since {
  const trimmed = value.trim().toLowerCase();
  const days = PERIOD_DAYS[trimmed];
  if (days !== undefined) return { days };
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (match) {
    const date = new Date(`${trimmed}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === trimmed)
      return { date: trimmed };
  }
  throw new InvalidArgumentError('expected 24h, week, month or a date like 2025-01-31.');
}

/** The first day (UTC) a posting may have been posted on to pass --since. Dates are days: 24h = since yesterday. */
function sinceDate(since: Since, now: Date): string {
  if ('date' in since) return since.date;
  return new Date(now.getTime() - since.days * 86_400_000).toISOString().slice(0, 10);
}

export function register(program: Command, run: ActionRunner): void {
  program
    .command('search')
    .description('rank your stored postings by how many of the keywords they mention')
    .argument(
      '[keywords...]',
      'words or "quoted phrases"; each one found in a title or description adds 1 to the score',
    )
    .option(
      '-l, --location <text>',
      'only postings whose location contains this text (any case)',
      text('location'),
    )
    .option('--limit <n>', 'show at most this many rows', integerIn(1, 10_000), 20)
    .option(
      '--since <when>',
      'only postings from the last 24h, week or month, or since a date (YYYY-MM-DD)',
      parseSince,
    )
    .option(
      '--status <status>',
      `only postings with this status: ${JOB_STATUSES.join(', ')}`,
      argumentParser(parseJobStatus),
    )
    .option(
      '--include-closed',
      'also jobs that are closed (gone from their board, or no longer taking applications)',
    )
    .option(
      '--min-salary <n>',
      'only postings whose pay (the top of the range, a month ×12, an hour ×2080) reaches n a year; postings stating no pay numbers are left out',
      integerIn(1, 1_000_000_000),
    )
    .option(
      '--currency <code>',
      'with --min-salary: only pay in this currency (USD, EUR …); without it every currency’s numbers are compared as they are',
      argumentParser(parseCurrency),
    )
    .option('--csv', 'the rows as CSV on stdout (same columns as --json)')
    .option('--history', 'list your past searches (newest first) instead of searching')
    .option(
      '--new',
      'postings not yet seen in `djs review`, best first by your keywords (`djs profile keywords`)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ djs search python django                     postings mentioning python, django or both
  $ djs search "prompt engineering" python -l berlin --since week
  $ djs search rust go --status saved --json | jq '.[].id'
  $ djs search kubernetes --csv > kubernetes.csv
  $ djs search -- -remote                        a keyword starting with "-" goes after --
  $ djs search --history
  $ djs search --new --json                      what is new since your last review
  $ djs search python --min-salary 120000 --currency USD

Matching: case-insensitive, accents kept (Zürich ≠ Zurich). A keyword of 3+ characters matches anywhere
in the title or description ("java" also matches "JavaScript"); a 1–2 character one ("go", "c", "ai", "c#")
matches only as a whole word. Order: score, then relevance (bm25), then newest.
Closed jobs are left out unless --include-closed; blocked companies (\`djs blocklist\`) always are.
--min-salary without --currency compares the numbers of every currency as they are (no conversion).
Then \`djs jobs show <job id>\` shows a posting and \`djs jobs set-status <job id> applied\` tracks it.`,
    )
    .action(run<SearchOptions>(runSearch));
}

/** `args`: the keywords as given; none asks for them on a terminal (or exits 2 off one). */
export async function runSearch(ctx: Context, options: SearchOptions, args: string[]): Promise<void> {
  if (options.csv && ctx.out.json) throw new UsageError('Choose one of --json and --csv.');
  if (options.currency !== undefined && options.minSalary === undefined)
    throw new UsageError('--currency goes with --min-salary, e.g. --min-salary 120000 --currency USD.');
  if (options.history) {
    if (args.length > 0) throw new UsageError('--history lists past searches: give it no keywords.');
    if (
      options.location !== undefined ||
      options.since !== undefined ||
      options.status !== undefined ||
      options.csv ||
      options.includeClosed ||
      options.minSalary !== undefined
    ) {
      throw new UsageError('--history takes only --limit and --json.');
    }
    return history(ctx, options.limit);
  }
  if (options.new) return newPostings(ctx, options, args);
  if (args.length === 0) {
    const { askText, requireInteractive } = await import('../cli/prompts.js');
    requireInteractive(
      ctx,
      'Give at least one keyword, e.g. `djs search python "machine learning"` (or --history)',
    );
    args = splitKeywords(
      await askText(ctx, 'Keywords (put "multi word" phrases in quotes):', { required: true }),
    );
  }
  const { normaliseKeywords, SearchService } = await import('../jobs/search.js');
  const keywords = normaliseKeywords(args);
  const { user } = await requireLogin(ctx);
  const service = new SearchService(await ctx.db(), user.id);
  const now = ctx.clock.now();
  const since = options.since ? sinceDate(options.since, now) : undefined;
  const result = service.search({
    keywords,
    location: options.location,
    since,
    status: options.status,
    limit: options.limit,
    includeClosed: options.includeClosed,
    minSalary:
      options.minSalary === undefined ? undefined : { amount: options.minSalary, currency: options.currency },
  });
  recordHistory(ctx, () => service.record(keywords, options.location, now.toISOString()));

  if (options.csv) {
    const { toCsv } = await import('../cli/render/search-csv.js');
    return ctx.out.document(toCsv(result.hits));
  }
  const { hitJson, renderHits } = await import('../cli/render/search-results.js');
  if (ctx.out.json) return ctx.out.data(result.hits.map(hitJson));
  if (result.hits.length === 0) {
    ctx.out.line(
      `No postings mention ${keywords.map((k) => `"${k}"`).join(' or ')}${filtersText(options, since)}.`,
    );
    return;
  }
  ctx.out.line(await renderHits(ctx, result.hits));
  const shown = result.hits.length;
  ctx.out.line(
    ctx.out.style.dim(
      `${shown === result.matched ? `${shown}` : `${shown} of ${result.matched}`} matching posting${result.matched === 1 ? '' : 's'}` +
        `${shown < result.matched ? ' (--limit for more)' : ''}. Details: djs jobs show <job id>`,
    ),
  );
}

/** `search --new`: the review's queue as a list, ranked by the person's keywords (or, given, these ones). */
async function newPostings(ctx: Context, options: SearchOptions, args: string[]): Promise<void> {
  if (
    options.location !== undefined ||
    options.since !== undefined ||
    options.status !== undefined ||
    options.includeClosed ||
    options.minSalary !== undefined
  ) {
    throw new UsageError('--new takes only keywords, --limit, --json and --csv.');
  }
  const { user } = await requireLogin(ctx);
  const db = await ctx.db();
  const [{ normaliseKeywords }, { NewPostings }, { ProfileKeywords }] = await Promise.all([
    import('../jobs/search.js'),
    import('../jobs/new-postings.js'),
    import('../accounts/keywords.js'),
  ]);
  const keywords = args.length > 0 ? normaliseKeywords(args) : new ProfileKeywords(db, user.id).list();
  const queue = new NewPostings(db, user.id);
  const hits = queue.ranked(keywords, options.limit);
  if (options.csv) {
    const { toCsv } = await import('../cli/render/search-csv.js');
    return ctx.out.document(toCsv(hits));
  }
  const { hitJson, renderHits } = await import('../cli/render/search-results.js');
  if (ctx.out.json) return ctx.out.data(hits.map(hitJson));
  if (hits.length === 0) {
    ctx.out.line('Nothing new: every posting has been seen in a review. `djs update-db` collects more.');
    return;
  }
  ctx.out.line(await renderHits(ctx, hits));
  const total = queue.count();
  const ranking =
    keywords.length > 0 ? `ranked by ${keywords.map((k) => `"${k}"`).join(', ')}` : 'newest first';
  ctx.out.line(
    ctx.out.style.dim(
      `${hits.length === total ? `${total}` : `${hits.length} of ${total}`} new posting${total === 1 ? '' : 's'}, ${ranking}. Go through them: djs review`,
    ),
  );
}

/** The search history is a convenience: a read-only database must not stop the search itself. */
function recordHistory(ctx: Context, record: () => void): void {
  try {
    record();
  } catch (error) {
    if (!(error as { code?: string }).code?.startsWith('SQLITE_READONLY')) throw error;
    ctx.out.verbose('This search was not added to the history: the database is read-only.');
  }
}

/** Keywords typed at the prompt, split as a shell would: on spaces, except inside "…" or '…'. */
export function splitKeywords(line: string): string[] {
  const keywords: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"?|'([^']*)'?|(\S+)/g)) {
    const keyword = match[1] ?? match[2] ?? match[3] ?? '';
    if (keyword.trim()) keywords.push(keyword);
  }
  return keywords;
}

function filtersText(options: SearchOptions, since: string | undefined): string {
  const parts: string[] = [];
  if (options.location) parts.push(`in "${options.location}"`);
  if (options.status) parts.push(`with status ${options.status}`);
  if (since) parts.push(`posted since ${since}`);
  if (options.minSalary !== undefined)
    parts.push(
      `paying at least ${options.minSalary}${options.currency ? ` ${options.currency}` : ''} a year`,
    );
  return parts.length ? ` ${parts.join(' ')}` : '';
}

async function history(ctx: Context, limit: number): Promise<void> {
  const { SearchService } = await import('../jobs/search.js');
  const { user } = await requireLogin(ctx);
  const entries = new SearchService(await ctx.db(), user.id).history(limit);
  if (ctx.out.json) return ctx.out.data(entries);
  if (entries.length === 0) {
    ctx.out.line('No searches yet. Try `djs search python`.');
    return;
  }
  const { renderHistory } = await import('../cli/render/search-results.js');
  ctx.out.line(await renderHistory(ctx, entries));
}
