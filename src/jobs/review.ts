import type { Clock } from '../core/clock.js';
import { webUrl } from '../core/sanitize.js';
import type { Db } from '../db/database.js';
import { NewPostings } from './new-postings.js';
import type { SearchHit } from './search.js';
import type { JobStatus } from './model.js';
import { JobTracking, type StatusUpdate } from './tracking.js';

/** What a key in the review does to a posting: `s` saved, `a` applied, `x` archived (not interested). */
export type Decision = Extract<JobStatus, 'saved' | 'applied' | 'archived'>;

/** One posting as the review shows it. */
export interface ReviewCard {
  /** 1-based place in the queue, and the queue's length. */
  position: number;
  total: number;
  jobId: string;
  score: number;
  matchedKeywords: string[];
  title: string | null;
  company: string | null;
  location: string | null;
  /** 'yes' when the title or location says remote, 'mentioned' when only the description does. */
  remote: 'yes' | 'mentioned' | null;
  pay: string | null;
  postedAt: string;
  source: string;
  description: string | null;
  /** Where `o` goes: the apply link when the posting has a usable one, else the posting's own link. */
  openUrl: string | null;
}

export interface ReviewTally {
  reviewed: number;
  applied: number;
  saved: number;
  archived: number;
}

interface CardRow {
  source: string;
  job_salary: string | null;
  job_description: string | null;
  apply_url: string | null;
}

interface Taken {
  position: number;
  decision: Decision;
  update: StatusUpdate;
  notesBefore: string | null;
}

const REMOTE = /\bremote\b/i;

/**
 * A morning review (`djs review`): the new postings, best first, one card at a time. A card is seen once
 * the person moves past it (a decision, or next), and then it is not new any more; the card on screen
 * when they leave stays new, for the next review. A decision sets the posting's status through JobTracking (the
 * status history and the Sheets sync see it as they see `djs jobs set-status`), and the last decisions
 * can be undone one by one.
 */
export class ReviewSession {
  private index = 0;
  private readonly seen = new Set<number>();
  private readonly taken: Taken[] = [];
  private readonly tracking: JobTracking;
  private readonly newPostings: NewPostings;

  private constructor(
    private readonly db: Db,
    private readonly userId: number,
    private readonly clock: Clock,
    private readonly queue: SearchHit[],
  ) {
    this.tracking = new JobTracking(db, userId, clock);
    this.newPostings = new NewPostings(db, userId);
  }

  /** The review of everything new now, ranked by `keywords` (newest first without any). */
  static start(db: Db, userId: number, clock: Clock, keywords: string[]): ReviewSession {
    const newPostings = new NewPostings(db, userId);
    const queue = newPostings.ranked(keywords, Math.max(1, newPostings.count()));
    return new ReviewSession(db, userId, clock, queue);
  }

  get total(): number {
    return this.queue.length;
  }

  /** The card to show now, or null when the queue is done. */
  current(): ReviewCard | null {
    const hit = this.queue[this.index];
    if (!hit) return null;
    const row = this.db
      .prepare(
        'SELECT source, job_salary, job_description, apply_url FROM job_postings WHERE id = ? AND user_id = ?',
      )
      .get(hit.postingId, this.userId) as CardRow;
    const said = (text: string | null): boolean => text !== null && REMOTE.test(text);
    return {
      position: this.index + 1,
      total: this.queue.length,
      jobId: hit.jobId,
      score: hit.score,
      matchedKeywords: hit.matchedKeywords,
      title: hit.title,
      company: hit.company,
      location: hit.location,
      remote: said(hit.title) || said(hit.location) ? 'yes' : said(row.job_description) ? 'mentioned' : null,
      pay: row.job_salary,
      postedAt: hit.postedAt ?? hit.addedAt.slice(0, 10),
      source: row.source,
      description: row.job_description,
      openUrl: webUrl(row.apply_url) ?? webUrl(hit.link),
    };
  }

  /** Moves past the current card: it has been seen. */
  next(): void {
    const hit = this.queue[this.index];
    if (!hit) return;
    if (!this.seen.has(hit.postingId)) {
      this.newPostings.markSeen(hit.postingId, this.clock.now().toISOString());
      this.seen.add(hit.postingId);
    }
    this.index++;
  }

  /** Sets the status of the current posting (an `applied` may carry a note) and moves to the next card. */
  decide(decision: Decision, note?: string): StatusUpdate {
    const hit = this.queue[this.index];
    if (!hit) throw new Error('decide() after the last card');
    const notesBefore = this.tracking.show(hit.jobId).record.notes;
    const update = this.tracking.setStatus(hit.jobId, decision, note);
    this.taken.push({ position: this.index, decision, update, notesBefore });
    this.next();
    return update;
  }

  /**
   * Takes back the last decision still standing: the posting gets its status and notes back (the change
   * back is in its history too) and its card is shown again. Null when there is nothing to undo.
   */
  undo(): StatusUpdate | null {
    const last = this.taken.pop();
    if (!last) return null;
    const { update, notesBefore } = last;
    this.db
      .transaction(() => {
        this.tracking.setStatus(update.jobId, update.oldStatus);
        this.db
          .prepare('UPDATE job_postings SET notes = ? WHERE user_id = ? AND id = ?')
          .run(notesBefore, this.userId, this.queue[last.position]!.postingId);
      })
      .immediate();
    this.index = last.position;
    return update;
  }

  tally(): ReviewTally {
    const count = (decision: Decision): number => this.taken.filter((t) => t.decision === decision).length;
    return {
      reviewed: this.seen.size,
      applied: count('applied'),
      saved: count('saved'),
      archived: count('archived'),
    };
  }
}

/** "12 reviewed: 2 applied, 3 saved, 7 archived" (the parts that are 0 left out). */
export function describeTally(tally: ReviewTally): string {
  const parts = (['applied', 'saved', 'archived'] as const)
    .filter((decision) => tally[decision] > 0)
    .map((decision) => `${tally[decision]} ${decision}`);
  return `${tally.reviewed} reviewed${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}
