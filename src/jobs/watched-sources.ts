import { DjsError, UsageError } from '../core/errors.js';
import type { Db } from '../db/database.js';
import type { ListingResult, ListingSource, Validators } from './job-source.js';
import { formatSourceSpec, isBoardKind, parseSourceSpec, type SourceKind, type SourceSpec } from './model.js';

/** The user's row for a spec: board names are compared as the boards do, without regard to case. */
const SAME_SOURCE = 'user_id = @userId AND kind = @kind AND name = @name COLLATE NOCASE';

/** A watched board or feed as `djs sources list` shows it. */
export interface WatchedSource {
  spec: string;
  kind: SourceKind;
  name: string;
  addedAt: string;
  lastCheckedAt: string | null;
  openPostings: number;
  lastError: string | null;
}

/** The boards and feeds one user watches (user_sources), with what the last run learnt of each. */
export class WatchedSources {
  constructor(
    private readonly db: Db,
    private readonly userId: number,
  ) {}

  /** Every watched source, in the order they were added, with its open postings counted. */
  list(): WatchedSource[] {
    const rows = this.db
      .prepare(
        `SELECT s.kind, s.name, s.created_at AS addedAt, s.last_checked_at AS lastCheckedAt,
           s.last_error AS lastError,
           (SELECT COUNT(DISTINCT l.posting_id) FROM posting_links l WHERE l.user_id = s.user_id
              AND l.source = s.kind AND l.closed_at IS NULL AND (s.name = '' OR l.board = s.name)) AS openPostings
         FROM user_sources s WHERE s.user_id = ? ORDER BY s.id`,
      )
      .all(this.userId) as Array<Omit<WatchedSource, 'spec'>>;
    return rows.map((row) => ({ spec: formatSourceSpec(row), ...row }));
  }

  specs(): SourceSpec[] {
    return this.list().map(({ kind, name }) => ({ kind, name }));
  }

  /**
   * Watches these sources (those already watched are left as they are); no validators are stored, so the
   * next update-db reads each in full. Returns how many were new.
   */
  add(specs: readonly SourceSpec[], now: string): number {
    const insert = this.db.prepare(
      `INSERT INTO user_sources (user_id, kind, name, created_at) SELECT @userId, @kind, @name, @now
       WHERE NOT EXISTS (SELECT 1 FROM user_sources WHERE ${SAME_SOURCE})`,
    );
    return this.db.transaction(() =>
      specs.reduce((added, spec) => added + insert.run({ userId: this.userId, ...spec, now }).changes, 0),
    )();
  }

  /**
   * Stops watching these sources; their postings stay. All or nothing: a source not watched is exit 2
   * naming it, and nothing is removed.
   */
  remove(specs: readonly SourceSpec[]): void {
    const remove = this.db.prepare(`DELETE FROM user_sources WHERE ${SAME_SOURCE}`);
    this.db.transaction(() => {
      const unknown = specs.filter((spec) => remove.run({ userId: this.userId, ...spec }).changes === 0);
      if (unknown.length > 0) {
        throw new UsageError(
          `You do not watch ${unknown.map(formatSourceSpec).join(', ')}; nothing was removed (\`djs sources list\` shows what you watch).`,
        );
      }
    })();
  }

  /** The validators of the source's last answer read in full, or null when it has none yet. */
  validators(spec: SourceSpec): Validators | null {
    const row = this.db
      .prepare(`SELECT etag, last_modified AS lastModified FROM user_sources WHERE ${SAME_SOURCE}`)
      .get({ userId: this.userId, ...spec }) as Validators | undefined;
    return row && (row.etag !== null || row.lastModified !== null) ? row : null;
  }

  /**
   * The source was read: its new validators (unchanged when it answered 304, so `validators` is
   * undefined then) and the time. Written only after its postings are stored, so that a run that
   * crashed midway reads the board in full again instead of being told "unchanged".
   */
  checked(spec: SourceSpec, validators: Validators | undefined, now: string): void {
    this.db
      .prepare(
        `UPDATE user_sources SET last_checked_at = @now, last_error = NULL,
           etag = CASE WHEN @replace THEN @etag ELSE etag END,
           last_modified = CASE WHEN @replace THEN @lastModified ELSE last_modified END
         WHERE ${SAME_SOURCE}`,
      )
      .run({
        now,
        replace: validators ? 1 : 0,
        etag: validators?.etag ?? null,
        lastModified: validators?.lastModified ?? null,
        userId: this.userId,
        ...spec,
      });
  }

  /** The source could not be read this run: why, for `sources list`. */
  failed(spec: SourceSpec, reason: string, now: string): void {
    this.db
      .prepare(`UPDATE user_sources SET last_checked_at = @now, last_error = @reason WHERE ${SAME_SOURCE}`)
      .run({ now, reason, userId: this.userId, ...spec });
  }
}

/** What one update-db run reads: LinkedIn's searches or not, and which watched sources. */
export interface SourceSelection {
  linkedIn: boolean;
  specs: SourceSpec[];
}

/**
 * `update-db --source S...` → what the run reads. S is `linkedin`, a kind (every watched source of it) or
 * a spec (a watched one); none given: LinkedIn and every watched source. Anything else is exit 2.
 */
export function selectSources(values: readonly string[], watched: readonly SourceSpec[]): SourceSelection {
  if (values.length === 0) return { linkedIn: true, specs: [...watched] };
  let linkedIn = false;
  const chosen = new Set<SourceSpec>();
  for (const value of values) {
    const word = value.trim().toLowerCase();
    if (word === 'linkedin') {
      linkedIn = true;
      continue;
    }
    const ofKind = isBoardKind(word) ? watched.filter((spec) => spec.kind === word) : null;
    const matching = ofKind ?? watched.filter((spec) => sameSpec(spec, parseSourceSpec(value)));
    if (matching.length === 0) {
      throw new UsageError(
        `You do not watch ${ofKind ? `any ${word} board` : `"${value.trim()}"`}; add it with \`djs sources add\` first (\`djs sources list\` shows what you watch).`,
      );
    }
    for (const spec of matching) chosen.add(spec);
  }
  return { linkedIn, specs: [...chosen] };
}

/** Board names are compared as the boards do: without regard to case (SAME_SOURCE in SQL). */
export function sameSpec(a: SourceSpec, b: SourceSpec): boolean {
  return a.kind === b.kind && a.name.toLowerCase() === b.name.toLowerCase();
}

/**
 * Before `sources add` stores anything: every board named must exist (its listing read once, then
 * dropped, so the first update-db reads it in full). A board that does not exist is exit 2 naming it; a
 * board that cannot be reached is exit 1. Feeds always exist and are not asked (their terms ask for few
 * calls).
 */
export async function confirmBoardsExist(
  specs: readonly SourceSpec[],
  open: (spec: SourceSpec) => Promise<ListingSource>,
  signal: AbortSignal,
): Promise<void> {
  for (const spec of specs.filter((candidate) => isBoardKind(candidate.kind))) {
    let result: ListingResult;
    try {
      result = await (await open(spec)).list(null, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      throw new DjsError(
        `Could not reach ${formatSourceSpec(spec)} to check that it exists (${(error as Error).message}); nothing was added. Try again later.`,
      );
    }
    if (result.kind === 'not-found') {
      throw new UsageError(
        `There is no ${spec.kind} board named "${spec.name}"; nothing was added. The name is the part of the board's address after the host (see \`djs sources --help\`).`,
      );
    }
  }
}
