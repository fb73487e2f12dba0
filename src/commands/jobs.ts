import { Argument, type Command } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { requireLogin } from '../cli/factory.js';
import { argumentParser } from '../cli/validate.js';
import { stripControl } from '../core/sanitize.js';
import { JOB_STATUSES, parseJobId, parseJobStatus, type PostingDetails } from '../jobs/model.js';

interface SetStatusOptions {
  note?: string;
}

export function register(program: Command, run: ActionRunner): void {
  const jobs = program
    .command('jobs')
    .description('look at a stored posting and track your application: show | set-status')
    .addHelpText(
      'after',
      `
Examples:
  $ djs jobs show 4012345678
  $ djs jobs set-status 4012345678 applied --note "sent CV via the careers page"
  $ djs jobs show 4012345678 --json | jq .status

<job-id> is the id \`djs search\` shows (for LinkedIn, the number in the posting's link; the link works too).
Statuses: ${JOB_STATUSES.join(', ')}.`,
    );

  jobs
    .command('show')
    .description('every stored field of a posting, its description and its status history')
    .argument('[job-id]', 'the job id shown by djs search (asked for on a terminal)')
    .action(
      run(async (ctx, _options, args) => {
        const { JobTracking } = await import('../jobs/tracking.js');
        const jobId = parseJobId(args[0] ?? (await ask(ctx, 'job id')));
        const { user } = await requireLogin(ctx);
        const details = new JobTracking(await ctx.db(), user.id, ctx.clock).show(jobId);
        if (ctx.out.json) return ctx.out.data(details.record);
        ctx.out.line(renderPosting(ctx, details));
      }),
    );

  jobs
    .command('set-status')
    .description('record where you are with a posting; --note adds a dated line to its notes')
    .argument('[job-id]', 'the job id shown by djs search (asked for on a terminal)')
    .addArgument(new Argument('[status]', JOB_STATUSES.join(' | ')).argParser(argumentParser(parseJobStatus)))
    .option('--note <text>', 'append "YYYY-MM-DD: <text>" to the notes (earlier notes are kept)')
    .addHelpText(
      'after',
      `
Examples:
  $ djs jobs set-status 4012345678 saved
  $ djs jobs set-status 4012345678 interviewing --note "first call with the hiring manager on Tuesday"

Notes are a log: each --note adds a line dated today, and the notes travel to your spreadsheet with the
status. Every change is kept in the posting's history (djs jobs show).`,
    )
    .action(
      run<SetStatusOptions>(async (ctx, options, args) => {
        const { JobTracking } = await import('../jobs/tracking.js');
        const jobId = parseJobId(args[0] ?? (await ask(ctx, 'job id')));
        const status = parseJobStatus(args[1] ?? (await ask(ctx, 'status')));
        const { user } = await requireLogin(ctx);
        const update = new JobTracking(await ctx.db(), user.id, ctx.clock).setStatus(
          jobId,
          status,
          options.note,
        );
        if (ctx.out.json) {
          return ctx.out.data({
            id: update.jobId,
            status: update.newStatus,
            previousStatus: update.oldStatus,
            notes: update.notes,
            changed: update.changed,
            changedAt: update.changed ? update.changedAt : null,
          });
        }
        const id = stripControl(update.jobId);
        if (!update.changed) {
          ctx.out.line(`${id} is already ${status}; nothing changed.`);
        } else if (update.oldStatus === update.newStatus) {
          ctx.out.success(`${id}: note added (status stays ${status}).`);
        } else {
          ctx.out.success(
            `${id}: ${update.oldStatus} → ${update.newStatus}${options.note !== undefined ? ', note added' : ''}.`,
          );
        }
      }),
    );
}

/** A missing argument: asked for on a terminal; off one, exit 2 naming it. */
async function ask(ctx: Context, what: 'job id' | 'status'): Promise<string> {
  const { askText, requireInteractive } = await import('../cli/prompts.js');
  const usage =
    what === 'job id' ? 'djs jobs show <job-id>' : `djs jobs set-status <job-id> <${JOB_STATUSES.join('|')}>`;
  requireInteractive(ctx, `Give the ${what}: ${usage}`);
  return askText(
    ctx,
    what === 'job id' ? 'Job id (as djs search shows it):' : `Status (${JOB_STATUSES.join(', ')}):`,
    {
      required: true,
    },
  );
}

function renderPosting(ctx: Context, details: PostingDetails): string {
  const { bold, dim } = ctx.out.style;
  const { record } = details;
  const width =
    ctx.io.stdout.isTTY && ctx.io.stdout.columns && ctx.io.stdout.columns >= 40 ? ctx.io.stdout.columns : 100;
  const clean = (value: string | null): string | null => {
    if (value === null) return null;
    const text = stripControl(value).replace(/\s+/g, ' ').trim();
    return text === '' ? null : text;
  };
  const lines: string[] = [];
  lines.push(bold(clean(record.job_title) ?? '(no title)'));
  lines.push(
    [clean(record.job_company), clean(record.job_location)].filter(Boolean).join(' · ') ||
      dim('(no company or location)'),
  );
  lines.push('');
  const field = (label: string, value: string | number | null | undefined): void => {
    const text = value === null || value === undefined ? null : clean(String(value));
    lines.push(`${bold(label.padEnd(15))}${text ?? dim('—')}`);
  };
  field('Job id', record.id);
  field(
    'Status',
    `${record.status}${details.statusChangedAt ? ` (since ${details.statusChangedAt.slice(0, 10)})` : ''}`,
  );
  field('Link', record.link);
  field('Apply', record.apply_url);
  field(
    'Posted',
    [clean(record.job_date), details.postedDate ? `(${details.postedDate})` : null]
      .filter(Boolean)
      .join(' ') || null,
  );
  field('Applicants', record.job_applicants ?? details.applicants);
  field('Salary', record.job_salary);
  field('Seniority', record.job_seniority);
  field('Employment', record.job_employment_type);
  field('Function', record.job_function);
  field('Industries', record.job_industries);
  field('Company page', details.companyUrl);
  field('Source', details.source);
  field('Added', record.added_at);
  field('Updated', details.updatedAt);
  if (record.notes) {
    const notes = stripControl(record.notes, { keepNewlines: true }).split('\n');
    lines.push(`${bold('Notes'.padEnd(15))}${notes[0] ?? ''}`);
    for (const note of notes.slice(1)) lines.push(`${' '.repeat(15)}${note}`);
  } else {
    field('Notes', null);
  }
  if (details.history.length > 0) {
    lines.push('', bold('Status history'));
    for (const change of details.history) {
      const note = change.note ? `  ${stripControl(change.note)}` : '';
      lines.push(
        `  ${change.changedAt.replace('T', ' ').slice(0, 16)}  ${change.oldStatus} → ${change.newStatus}${note}`,
      );
    }
  }
  lines.push('', bold('Description'), '');
  lines.push(
    record.job_description
      ? renderMarkdown(record.job_description, { width: Math.min(width, 100), bold })
      : dim('  (no description was stored)'),
  );
  return lines.join('\n');
}

/** The characters turndown escapes with a backslash, and where renderMarkdown sets them aside meanwhile. */
const ESCAPABLE = '\\`*_{}[]()#+-.!>|~';
const SET_ASIDE = 0xe000;
const setAside = (c: string): string => String.fromCharCode(SET_ASIDE + c.charCodeAt(0));
const putBack = (c: string): string => {
  const plain = String.fromCharCode(c.charCodeAt(0) - SET_ASIDE);
  return ESCAPABLE.includes(plain) ? plain : c;
};

/**
 * The Markdown that update-db stores (turndown's: ATX headings, **bold**, _em_, "- " lists, [links](url),
 * backslash escapes) → plain terminal text: headings and bold in bold, bullets as •, links as "text (url)",
 * paragraphs wrapped to `width` with list items hanging. Control characters are removed first.
 */
export function renderMarkdown(
  markdown: string,
  options: { width: number; bold?: (text: string) => string },
): string {
  const bold = options.bold ?? ((text: string) => text);
  const width = Math.max(20, options.width);
  // Backslash-escaped characters are set aside first (as private-use characters) so that no rule below
  // takes an escaped \* or \_ for emphasis, then put back as the plain character. Only those punctuation
  // marks are put back: a private-use character that came with the posting stays what it is, never a
  // control character.
  const inline = (text: string): string =>
    text
      .replace(/\\(.)/g, (escaped, c: string) => (ESCAPABLE.includes(c) ? setAside(c) : escaped))
      .replace(/!\[([^\]]*)\]\(([^)\s]*)[^)]*\)/g, (_m, alt: string) => (alt ? `[image: ${alt}]` : ''))
      .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_m, label: string, url: string) =>
        label === url || label === url.replace(/^mailto:/, '') ? url : `${label} (${url})`,
      )
      .replace(/`([^`]+)`/g, '$1')
      .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, (_m, _d, inner: string) => bold(inner))
      .replace(/(^|[^\w*])([*_])(?=\S)([^*_]*?\S)\2(?=$|[^\w*])/g, '$1$3')
      .replace(/[\ue000-\ue07f]/g, putBack);
  const out: string[] = [];
  const wrap = (text: string, first: string, rest: string): void => {
    const words = text.split(/ +/).filter(Boolean);
    let line = first;
    let empty = true;
    for (const word of words) {
      const visible = line.replace(/\u001b\[[0-9;]*m/g, '');
      if (!empty && [...visible].length + 1 + [...word.replace(/\u001b\[[0-9;]*m/g, '')].length > width) {
        out.push(line);
        line = rest;
        empty = true;
      }
      line += empty ? word : ` ${word}`;
      empty = false;
    }
    if (!empty) out.push(line);
  };
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) wrap(inline(paragraph.join(' ')), '  ', '  ');
    paragraph = [];
  };
  for (const raw of stripControl(markdown, { keepNewlines: true }).replace(/\t/g, '    ').split('\n')) {
    const line = raw.trimEnd();
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    const numbered = /^(\s*)(\d{1,3})[.)]\s+(.*)$/.exec(line);
    if (line.trim() === '') {
      flush();
      if (out.length > 0 && out.at(-1) !== '') out.push('');
    } else if (heading) {
      flush();
      out.push(`  ${bold(inline(heading[1]!))}`);
    } else if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      out.push(`  ${'─'.repeat(Math.min(40, width - 2))}`);
    } else if (bullet) {
      flush();
      const indent = '  '.repeat(1 + Math.min(3, Math.floor(bullet[1]!.length / 2)));
      wrap(inline(bullet[2]!), `${indent}• `, `${indent}  `);
    } else if (numbered) {
      flush();
      const indent = '  '.repeat(1 + Math.min(3, Math.floor(numbered[1]!.length / 2)));
      const marker = `${numbered[2]}. `;
      wrap(inline(numbered[3]!), `${indent}${marker}`, `${indent}${' '.repeat(marker.length)}`);
    } else {
      paragraph.push(line.trim().replace(/^>\s?/, ''));
    }
  }
  flush();
  while (out.at(-1) === '') out.pop();
  return out.join('\n');
}
