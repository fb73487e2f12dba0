import { InterruptedError } from '../core/errors.js';
import { stripControl } from '../core/sanitize.js';
import { describeTally, type ReviewCard, type ReviewSession } from '../jobs/review.js';
import type { Context } from './context.js';
import { clearScreen, escapable, ESCAPED, isCtrlC, readKey } from './keys.js';
import { openUrl } from './open-url.js';
import { askText } from './prompts.js';
import { sourceCredit } from './render/source-names.js';
import { REVIEW_FOOTER as FOOTER } from './review-keys.js';

/** Lines of the description a card shows; `d` shows the rest. */
const PREVIEW_LINES = 6;

/**
 * Goes through the review card by card, a single key per action, until the queue ends or the person
 * leaves (q, Esc); prints the summary. Ctrl-C leaves too, as an interruption (exit 130; decisions kept).
 */
export async function runReview(ctx: Context, session: ReviewSession): Promise<void> {
  let notice = '';
  let interrupted = false;
  for (;;) {
    const card = session.current();
    if (!card) break;
    showCard(ctx, card, notice);
    notice = '';
    const key = await readKey(ctx.io.stdin);
    if (isCtrlC(key)) {
      interrupted = true;
      break;
    }
    if (key.name === 'q' || key.name === 'escape') break;
    switch (key.name) {
      case 's':
        session.decide('saved');
        notice = `Saved ${describe(card)}.`;
        break;
      case 'x':
        session.decide('archived');
        notice = `Archived ${describe(card)} (not interested).`;
        break;
      case 'a': {
        const note = await askNote(ctx);
        if (note === null) {
          notice = 'Not marked as applied.';
          break;
        }
        session.decide('applied', note || undefined);
        notice = `Applied: ${describe(card)}${note ? ', with your note' : ''}.`;
        break;
      }
      case 'o':
        notice = openPosting(ctx, card);
        break;
      case 'd':
        await showDescription(ctx, card);
        break;
      case 'n':
      case 'return':
      case 'enter':
        session.next();
        break;
      case 'u': {
        const undone = session.undo();
        notice = undone
          ? `Undone: ${stripControl(undone.jobId)} is ${undone.oldStatus} again.`
          : 'Nothing to undo.';
        break;
      }
      default:
        notice = `Keys: ${FOOTER}`;
    }
  }
  if (ctx.io.stdout.isTTY) clearScreen(ctx.io.stdout);
  const tally = session.tally();
  if (session.current() === null && !interrupted) ctx.out.line('That was the last new posting.');
  ctx.out.line(`${describeTally(tally)}.`);
  if (interrupted) throw new InterruptedError('Review interrupted; every decision made so far is kept.');
}

function showCard(ctx: Context, card: ReviewCard, notice: string): void {
  const { bold, dim, green } = ctx.out.style;
  const width = Math.max(40, ctx.io.stdout.columns ?? 100);
  const clean = (value: string | null): string => (value === null ? '' : stripControl(value).trim());
  clearScreen(ctx.io.stdout);
  const lines: string[] = [];
  if (notice) lines.push(green(notice), '');
  const matched = card.matchedKeywords.length > 0 ? ` · matches ${card.matchedKeywords.join(', ')}` : '';
  lines.push(dim(`Posting ${card.position} of ${card.total} · score ${card.score}${matched}`));
  lines.push(bold(clean(card.title) || '(no title)'));
  lines.push(
    [clean(card.company), clean(card.location)].filter(Boolean).join(' · ') ||
      dim('(no company or location)'),
  );
  const remote =
    card.remote === 'yes' ? 'yes' : card.remote === 'mentioned' ? 'mentioned in the description' : '—';
  lines.push(
    `${bold('Remote')} ${remote}   ${bold('Pay')} ${clean(card.pay) || '—'}   ${bold('Posted')} ${card.postedAt}   ` +
      `${bold('Source')} ${clean(sourceCredit(card.source))}   ${bold('Job id')} ${clean(card.jobId)}`,
  );
  lines.push('');
  const description = descriptionLines(card);
  for (const line of description.slice(0, PREVIEW_LINES)) {
    lines.push(`  ${[...line].length > width - 3 ? `${[...line].slice(0, width - 4).join('')}…` : line}`);
  }
  if (description.length > PREVIEW_LINES)
    lines.push(dim(`  … ${description.length - PREVIEW_LINES} more lines (d)`));
  lines.push('', dim(FOOTER));
  ctx.out.line(lines.join('\n'));
}

function descriptionLines(card: ReviewCard): string[] {
  return stripControl(card.description ?? '', { keepNewlines: true })
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');
}

async function showDescription(ctx: Context, card: ReviewCard): Promise<void> {
  clearScreen(ctx.io.stdout);
  const lines = descriptionLines(card);
  ctx.out.line(ctx.out.style.bold(stripControl(card.title ?? '(no title)')));
  ctx.out.line('');
  ctx.out.line(lines.length > 0 ? lines.join('\n') : '(no description)');
  ctx.out.line('');
  ctx.out.line(ctx.out.style.dim('Press any key to go back to the card.'));
  await readKey(ctx.io.stdin);
}

/** The optional note of an `a`: '' for none, null when the person backed out (Esc, Ctrl-C). */
async function askNote(ctx: Context): Promise<string | null> {
  try {
    const note = await escapable(ctx.io.stdin, (signal) =>
      askText(ctx, 'Note (optional; Enter for none, Esc to go back):', { signal }),
    );
    return note === ESCAPED ? null : note.trim();
  } catch (error) {
    if ((error as Error).name === 'ExitPromptError') return null;
    throw error;
  }
}

function openPosting(ctx: Context, card: ReviewCard): string {
  if (!card.openUrl) return 'This posting has no link to open.';
  return openUrl(card.openUrl, ctx.env)
    ? `Opened ${card.openUrl} in your browser.`
    : `Open this link in your browser: ${card.openUrl}`;
}

function describe(card: ReviewCard): string {
  return `"${stripControl(card.title ?? card.jobId).trim()}"`;
}
