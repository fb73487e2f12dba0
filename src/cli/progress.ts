import { setting } from '../core/settings.js';
import type { CollectProgress } from '../jobs/collector.js';
import type { Context } from './context.js';

/**
 * Progress of `update-db`: one line redrawn in place on a terminal (at most ~10 times a second), plain
 * timestamped lines for logs and cron otherwise (one per finished search and every 25 postings), and
 * nothing at all under --json.
 */
export class CollectProgressView {
  private lastDraw = 0;
  private lastLoggedPostings = 0;
  private lastLoggedSearches = 0;
  private readonly live: boolean;

  constructor(private readonly ctx: Context) {
    this.live = ctx.io.stderr.isTTY === true && setting(ctx.env, 'TERM') !== 'dumb' && !ctx.out.json;
  }

  update(progress: CollectProgress): void {
    if (this.ctx.out.json) return;
    const now = Date.now();
    if (this.live) {
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = this.ctx.io.stderr.columns ?? 100;
      this.ctx.out.redraw(describe(progress, now).slice(0, width - 1));
      return;
    }
    const searchDone = progress.searchesDone !== this.lastLoggedSearches;
    const postingsStep = progress.postingsFetched - this.lastLoggedPostings >= 25;
    if (searchDone || postingsStep) {
      this.lastLoggedSearches = progress.searchesDone;
      this.lastLoggedPostings = progress.postingsFetched;
      this.log(describe(progress, now));
    }
  }

  /** A timestamped line (off a TTY) or a line above the live status (on one). */
  log(message: string): void {
    if (this.ctx.out.json && !this.ctx.out.options.verbose) return;
    if (this.live) this.ctx.out.clearLine();
    this.ctx.out.info(`${this.live ? '' : `${new Date().toISOString()} `}${message}`);
  }

  finish(): void {
    if (this.live) this.ctx.out.clearLine();
  }
}

function describe(p: CollectProgress, now: number): string {
  const parts = [
    `searches ${p.searchesDone}/${p.searchesTotal}`,
    `links ${p.linksFound} (new ${p.newLinks})`,
    `postings ${p.postingsFetched}`,
    `failed ${p.failed}`,
  ];
  if (p.pending > 0) parts.push(`left ${p.pending}`, `ETA ${eta(p, now)}`);
  return parts.join(' · ');
}

function eta(p: CollectProgress, now: number): string {
  const done = p.postingsFetched + p.failedPostings;
  if (done === 0) return '…';
  const perItem = (now - p.startedAt) / (done + p.searchesDone);
  const seconds = Math.round((perItem * p.pending) / 1000);
  return seconds >= 60
    ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`
    : `${seconds}s`;
}
