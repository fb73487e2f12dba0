import type { CollectProgress } from '../jobs/collector.js';
import type { Context } from './context.js';
import { liveTerminal, Spinner } from './spinner.js';

/**
 * Progress of `update-db`: on a terminal, an ora spinner whose text carries the counts and the ETA (ora keeps
 * messages written meanwhile above it); plain timestamped lines for logs and cron otherwise (one per
 * finished search or source and every 25 postings), and nothing at all under --json.
 */
export class CollectProgressView {
  private lastLoggedPostings = 0;
  private lastLoggedSearches = 0;
  private readonly live: boolean;

  constructor(
    private readonly ctx: Context,
    private readonly spinner: Spinner | null = null,
  ) {
    this.live = liveTerminal(ctx);
  }

  /** The view with its spinner started, on a live terminal. */
  static async start(ctx: Context): Promise<CollectProgressView> {
    return new CollectProgressView(ctx, await Spinner.start(ctx, 'starting…'));
  }

  update(progress: CollectProgress): void {
    if (this.ctx.out.json) return;
    const now = this.ctx.clock.now().getTime();
    if (this.live) {
      if (this.spinner) this.spinner.text = describe(progress, now);
      return;
    }
    const searchDone = progress.searchesDone + progress.sourcesDone !== this.lastLoggedSearches;
    const postingsStep = progress.postingsFetched - this.lastLoggedPostings >= 25;
    if (searchDone || postingsStep) {
      this.lastLoggedSearches = progress.searchesDone + progress.sourcesDone;
      this.lastLoggedPostings = progress.postingsFetched;
      this.log(describe(progress, now));
    }
  }

  /** A timestamped line (off a TTY) or a line above the spinner (on one). */
  log(message: string): void {
    if (this.ctx.out.json && !this.ctx.out.options.verbose) return;
    this.ctx.out.info(`${this.live ? '' : `${this.ctx.clock.now().toISOString()} `}${message}`);
  }

  finish(): void {
    this.spinner?.stop();
  }
}

function describe(p: CollectProgress, now: number): string {
  const parts = [
    `searches ${p.searchesDone}/${p.searchesTotal}`,
    ...(p.sourcesTotal > 0
      ? [`sources ${p.sourcesDone}/${p.sourcesTotal} (new ${p.sourcePostingsNew})`]
      : []),
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
