import type { BoardJob } from '../core/job-identity.js';
import type { ListedPosting } from '../jobs/model.js';
import type { SourceDeps } from './registry.js';

/**
 * The one board posting a LinkedIn apply link points at (core/job-identity.ts boardJobFromUrl), read
 * from the board itself for its full description and pay; null when the board no longer lists it, or
 * when the link names no Greenhouse board (a `gh_jid` on the company's own site: the API needs the board).
 */
export async function readBoardJob(
  job: BoardJob,
  deps: SourceDeps,
  signal: AbortSignal,
): Promise<ListedPosting | null> {
  if (job.board === null) return null;
  switch (job.kind) {
    case 'greenhouse':
      return (await import('./greenhouse/source.js')).readGreenhouseJob(job.board, job.id, deps, signal);
    case 'lever':
      return (await import('./lever/source.js')).readLeverPosting(job.board, job.id, deps, signal);
    case 'ashby':
      return (await import('./ashby/source.js')).readAshbyJob(job.board, job.id, deps, signal);
  }
}
