import { stripControl } from '../../core/sanitize.js';
import type { PostingDetails } from '../../jobs/model.js';
import type { Context } from '../context.js';
import { renderMarkdown } from './markdown.js';
import { formatPay } from './pay.js';
import { sourceCredit, sourceName } from './source-names.js';

/** `jobs show`: the posting's fields, its status history and its description, fitted to the terminal. */
export async function renderPosting(ctx: Context, details: PostingDetails): Promise<string> {
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
  field('Pay', formatPay(details.pay));
  field('Workplace', details.workplaceType);
  field('Open', openText(details));
  field('Seniority', record.job_seniority);
  field('Employment', record.job_employment_type);
  field('Function', record.job_function);
  field('Industries', record.job_industries);
  field('Company page', details.companyUrl);
  field('Source', sourceName(details.source));
  field('Added', record.added_at);
  field('Updated', details.updatedAt);
  if (record.notes) {
    const notes = stripControl(record.notes, { keepNewlines: true }).split('\n');
    lines.push(`${bold('Notes'.padEnd(15))}${notes[0] ?? ''}`);
    for (const note of notes.slice(1)) lines.push(`${' '.repeat(15)}${note}`);
  } else {
    field('Notes', null);
  }
  if (details.listings.length > 0) {
    lines.push('', bold('Listed on'));
    for (const link of details.listings) {
      const closed = link.closedAt ? dim(` (closed ${link.closedAt.slice(0, 10)})`) : '';
      lines.push(`  ${sourceCredit(link.source).padEnd(17)} ${clean(link.url) ?? ''}${closed}`);
      lines.push(
        `  ${' '.repeat(17)} ${dim(`${clean(link.sourceJobId) ?? ''}, first seen ${link.firstSeenAt.slice(0, 10)}`)}`,
      );
    }
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
      ? await renderMarkdown(record.job_description, { width: Math.min(width, 100), bold })
      : dim('  (no description was stored)'),
  );
  return lines.join('\n');
}

/** "open for 12 days (since 2025-04-01)" or "closed on 2025-04-20, after 19 days open". */
function openText(details: PostingDetails): string {
  const days = `${details.daysOpen} day${details.daysOpen === 1 ? '' : 's'}`;
  const closedAt = details.record.closed_at;
  return closedAt
    ? `closed on ${closedAt.slice(0, 10)}, after ${days} open`
    : `open for ${days} (since ${details.firstSeenAt.slice(0, 10)})`;
}
