import { InvalidArgumentError, type Command } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { requireLogin } from '../cli/factory.js';
import { integerIn, text } from '../cli/validate.js';
import { UsageError } from '../core/errors.js';
import { stripControl } from '../core/sanitize.js';
import type { JobStatus } from '../jobs/tracking.js';
import type { HistoryEntry, SearchHit } from '../jobs/search.js';

const STATUSES = ['new', 'saved', 'applied', 'interviewing', 'offer', 'rejected', 'archived'];
const PERIOD_DAYS: Record<string, number> = { '24h': 1, week: 7, month: 30 };

type Since = { days: number } | { date: string };

interface SearchOptions {
  location?: string;
  limit: number;
  since?: Since;
  status?: JobStatus;
  csv?: boolean;
  history?: boolean;
  new?: boolean;
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

function parseStatus(value: string): JobStatus {
  const status = value.trim().toLowerCase();
  if (!STATUSES.includes(status)) throw new InvalidArgumentError(`expected one of ${STATUSES.join(', ')}.`);
  return status as JobStatus;
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
    .option('--status <status>', `only postings with this status: ${STATUSES.join(', ')}`, parseStatus)
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

Matching: case-insensitive, accents kept (Zürich ≠ Zurich). A keyword of 3+ characters matches anywhere
in the title or description ("java" also matches "JavaScript"); a 1–2 character one ("go", "c", "ai", "c#")
matches only as a whole word. Order: score, then relevance (bm25), then newest.
Then \`djs jobs show <job id>\` shows a posting and \`djs jobs set-status <job id> applied\` tracks it.`,
    )
    .action(run<SearchOptions>(async (ctx, options, args) => search(ctx, options, args)));
}

async function search(ctx: Context, options: SearchOptions, args: string[]): Promise<void> {
  if (options.csv && ctx.out.json) throw new UsageError('Choose one of --json and --csv.');
  if (options.history) {
    if (args.length > 0) throw new UsageError('--history lists past searches: give it no keywords.');
    if (
      options.location !== undefined ||
      options.since !== undefined ||
      options.status !== undefined ||
      options.csv
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
  });
  recordHistory(ctx, () => service.record(keywords, options.location, now.toISOString()));

  if (ctx.out.json) return ctx.out.data(result.hits.map(hitJson));
  if (options.csv) return ctx.out.document(toCsv(result.hits));
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
  if (options.location !== undefined || options.since !== undefined || options.status !== undefined) {
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
  if (ctx.out.json) return ctx.out.data(hits.map(hitJson));
  if (options.csv) return ctx.out.document(toCsv(hits));
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
  return parts.length ? ` ${parts.join(' ')}` : '';
}

function hitJson(hit: SearchHit): Record<string, unknown> {
  return {
    id: hit.jobId,
    score: hit.score,
    matchedKeywords: hit.matchedKeywords,
    title: hit.title,
    company: hit.company,
    location: hit.location,
    postedAt: hit.postedAt,
    status: hit.status,
    link: hit.link,
  };
}

const CSV_COLUMNS = [
  'id',
  'score',
  'matchedKeywords',
  'title',
  'company',
  'location',
  'postedAt',
  'status',
  'link',
];

/**
 * RFC 4180: CRLF line ends, every field quoted when it holds a comma, quote or line break. A field that a
 * spreadsheet would run as a formula (starting with = + - @, also after spaces) gets a leading apostrophe.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  let text = stripControl(value);
  if (/^\s*[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(hits: SearchHit[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const hit of hits) {
    lines.push(
      [
        hit.jobId,
        hit.score,
        hit.matchedKeywords.join('; '),
        hit.title,
        hit.company,
        hit.location,
        hit.postedAt,
        hit.status,
        hit.link,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The width tables are fitted to: the terminal's, else $COLUMNS, else 100. */
export function outputWidth(ctx: Context): number {
  const columns = ctx.io.stdout.isTTY ? ctx.io.stdout.columns : Number(ctx.env.COLUMNS);
  return columns && Number.isFinite(columns) && columns >= 40 ? Math.floor(columns) : 100;
}

/**
 * Column widths for a table `width` characters wide (1 space between columns): fixed columns keep their
 * size, flexible ones share the rest fairly (a column that needs less than its share gets what it needs).
 */
export function fitColumns(natural: number[], flexible: boolean[], width: number, minimum = 6): number[] {
  const widths = [...natural];
  let available =
    width - (natural.length - 1) - natural.reduce((sum, w, i) => sum + (flexible[i] ? 0 : w), 0);
  let open = natural.map((_, i) => i).filter((i) => flexible[i]);
  while (open.length > 0) {
    const share = Math.floor(available / open.length);
    const fits = open.filter((i) => natural[i]! <= share);
    if (fits.length === 0) {
      open.forEach(
        (i, k) => (widths[i] = Math.max(minimum, share + (k < available - share * open.length ? 1 : 0))),
      );
      break;
    }
    for (const i of fits) {
      widths[i] = natural[i]!;
      available -= natural[i]!;
    }
    open = open.filter((i) => !fits.includes(i));
  }
  return widths;
}

const BORDERLESS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: ' ',
};

async function renderTable(
  ctx: Context,
  head: string[],
  rows: Array<Array<string | { content: string; href?: string }>>,
  flexible: boolean[],
): Promise<string> {
  const { default: Table } = await import('cli-table3');
  // Characters, not display cells: close enough to share the width out; cli-table3 measures when it cuts.
  const length = (cell: string | { content: string }): number =>
    [...(typeof cell === 'string' ? cell : cell.content)].length;
  const natural = head.map((title, i) => Math.max(length(title), ...rows.map((row) => length(row[i]!))));
  const table = new Table({
    head: head.map((title) => ctx.out.style.bold(title)),
    colWidths: fitColumns(natural, flexible, outputWidth(ctx)),
    chars: BORDERLESS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    wordWrap: false,
  });
  table.push(...rows);
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

async function renderHits(ctx: Context, hits: SearchHit[]): Promise<string> {
  const clean = (value: string | null): string => (value === null ? '—' : stripControl(value).trim() || '—');
  return renderTable(
    ctx,
    ['Score', 'Matched', 'Title', 'Company', 'Location', 'Posted', 'Status', 'Job id'],
    hits.map((hit) => {
      const link = stripControl(hit.link);
      const jobId = clean(hit.jobId);
      return [
        String(hit.score),
        hit.matchedKeywords.join(', '),
        clean(hit.title),
        clean(hit.company),
        clean(hit.location),
        hit.postedAt ?? hit.addedAt.slice(0, 10),
        hit.status,
        ctx.io.stdout.isTTY === true && ctx.out.hyperlink(link) ? { content: jobId, href: link } : jobId,
      ];
    }),
    [false, true, true, true, true, false, false, false],
  );
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
  const quote = (keyword: string): string => (/\s/.test(keyword) ? `"${keyword}"` : keyword);
  ctx.out.line(
    await renderTable(
      ctx,
      ['When', 'Keywords', 'Location'],
      entries.map((entry: HistoryEntry) => [
        entry.searchedAt.replace('T', ' ').slice(0, 16),
        stripControl(entry.keywords.map(quote).join(' ')),
        entry.location === null ? '—' : stripControl(entry.location),
      ]),
      [false, true, true],
    ),
  );
}
