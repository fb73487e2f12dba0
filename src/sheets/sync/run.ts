/**
 * `djs sheets sync` (SPEC §9): mirror the user's postings and search results into their spreadsheet, exactly
 * once, and carry status/notes edits both ways (that rule heads plan.ts, which applies it).
 *
 * Exactly-once design
 * -------------------
 * Google's values.append has no idempotency key, so a crash between Google accepting an append and the
 * database recording it must be repaired by looking at the sheet itself. Three rules make that work:
 *
 *  1. Intent before effect. Before an append is sent, its rows are written to sheet_posting_rows /
 *     sheet_result_rows as state 'pending' (one transaction). Only after Google answers are they marked
 *     'synced' (another transaction). A crash can therefore leave 'pending' rows, never unrecorded ones.
 *  2. Read before write. Every sync starts with one values.batchGet of the key columns (Job Postings: job_id,
 *     status, notes; Job Search Results: link, query, location). Each 'pending' row is then resolved against
 *     what the sheet really holds: present → 'synced'; absent → the intent is dropped and the row is appended
 *     again. A posting that has no record at all but whose key is already in the sheet (a restored database,
 *     a second machine) is recorded as 'synced' instead of being appended. Nothing is appended whose key the
 *     sheet already shows.
 *  3. Never resend an append blindly. A 429 is a refusal (nothing was written) and is retried with backoff;
 *     a 5xx, a timeout or a dropped connection on an append is ambiguous, so the sync backs off, re-reads the
 *     key columns (rule 2) and appends only what is still missing. Google processes only requests it
 *     received whole: a process killed while sending has appended nothing; one killed while waiting for the
 *     answer has appended everything, and the next read sees it.
 * One sync runs at a time per user (a lock row), so two syncs never both decide a row is missing.
 *
 * The pieces: read.ts (rule 2's read), plan.ts (what the read means: records to settle, status/notes to
 * exchange; pure), apply.ts (appends and cell writes, rules 1 and 3), store.ts (the SQL). This file runs them:
 * the lock, the rounds of read → plan → apply, and the back-off between them.
 */
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { ProcessLock } from '../../db/process-lock.js';
import { SheetsApiError, type SheetsGateway } from '../../google/sheets-gateway.js';
import { JobTracking } from '../../jobs/tracking.js';
import { sheetsError } from '../errors.js';
import type { LinkedSpreadsheet, SpreadsheetRegistry } from '../registry.js';
import { appendPostings, appendResults, exchangeStatuses, type ApplyDeps } from './apply.js';
import { planRecords, planStatuses } from './plan.js';
import { readSheet } from './read.js';
import { SyncStore } from './store.js';

export interface SyncOptions {
  /** Compare every row of the sheet (also after `sheets link`): re-append what a person deleted. */
  full?: boolean;
}

export interface SyncResult {
  appended: { results: number; postings: number };
  statusPulled: number;
  statusPushed: number;
  apiCalls: number;
  /** Keys that occur on more than one row of a tab (made outside djs; left as they are). */
  duplicatesInSheet: number;
  /** Status cells holding something other than a known status (left as they are). */
  invalidStatuses: number;
  durationMs: number;
}

export interface SyncDeps {
  db: Db;
  userId: number;
  gateway: SheetsGateway & { backoffDelay?: (attempt: number) => number };
  registry: SpreadsheetRegistry;
  clock: Clock;
  signal?: AbortSignal;
  log?: (message: string) => void;
  warn?: (message: string) => void;
}

/** Re-reads after ambiguous appends before giving up. */
const MAX_ROUNDS = 6;

export class SheetsSync {
  private readonly lock: ProcessLock;

  constructor(private readonly deps: SyncDeps) {
    this.lock = new ProcessLock(deps.db, `sheets-sync:${deps.userId}`);
  }

  async run(initial: LinkedSpreadsheet, options: SyncOptions = {}): Promise<SyncResult> {
    const started = Date.now();
    const callsBefore = this.deps.gateway.calls;
    this.lock.acquire(
      this.now(),
      'Another `djs sheets sync` (or `update-db`) is syncing this account right now; try again later.',
    );
    try {
      // Read the state again under the lock: a sync that just finished may have moved it on.
      const current = this.deps.registry.find(initial.spreadsheetId) ?? initial;
      const result = await this.sync(current, Boolean(options.full) || current.needsFull);
      return { ...result, apiCalls: this.deps.gateway.calls - callsBefore, durationMs: Date.now() - started };
    } catch (error) {
      // Google's failures in the person's terms, naming the spreadsheet. Local data is never touched by these.
      throw error instanceof SheetsApiError
        ? sheetsError(error, 'sync', initial.title, initial.spreadsheetId)
        : error;
    } finally {
      this.lock.release();
    }
  }

  private async sync(
    initial: LinkedSpreadsheet,
    full: boolean,
  ): Promise<Omit<SyncResult, 'apiCalls' | 'durationMs'>> {
    const { db, userId, gateway, registry, log } = this.deps;
    const store = new SyncStore(db, userId, initial.rowId);
    const apply: ApplyDeps = {
      gateway,
      store,
      tracking: new JobTracking(db, userId, this.deps.clock),
      now: () => this.now(),
      signal: this.deps.signal,
      log,
      warn: this.deps.warn,
    };
    let sheet = initial;
    const previousReadAt = sheet.lastReadAt;
    const result = {
      appended: { results: 0, postings: 0 },
      statusPulled: 0,
      statusPushed: 0,
      duplicatesInSheet: 0,
      invalidStatuses: 0,
    };
    for (let round = 0; ; round++) {
      const readAt = this.now();
      const state = await readSheet({ gateway, registry, log }, sheet, full);
      sheet = state.sheet;
      const local = store.local();
      const records = planRecords(state, local, full);
      // Also stamps the read time: the conflict rule's "previous read" for the next sync.
      store.settleRecords(records, readAt);
      if (records.resolved + records.dropped > 0)
        log?.(
          `Reconciled with the sheet: ${records.resolved} rows found there, ${records.dropped} to send again.`,
        );
      if (round === 0) {
        result.duplicatesInSheet = records.duplicates;
        const statuses = planStatuses({
          tab: state.postings,
          tabTitle: sheet.postingsTab,
          postings: local.postings,
          marks: records.marks,
          rowsByJobId: records.postingRows,
          previousReadAt,
          full,
        });
        const exchanged = await exchangeStatuses(apply, sheet, statuses);
        result.statusPulled = exchanged.pulled;
        result.statusPushed = exchanged.pushed;
        result.invalidStatuses = statuses.invalid.length;
      }
      try {
        result.appended.postings += await appendPostings(apply, sheet, state.postings.header);
        result.appended.results += await appendResults(apply, sheet, state.results.header);
        break;
      } catch (error) {
        if (!(error instanceof SheetsApiError && error.ambiguous) || round + 1 >= MAX_ROUNDS) throw error;
        const wait = gateway.backoffDelay?.(round) ?? 1000 * 2 ** round;
        log?.(`An append's outcome is unknown (${error.message}); re-reading the sheet in ${wait} ms.`);
        await this.deps.clock.sleep(wait, this.deps.signal);
      }
    }
    store.finish(this.now());
    return result;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}
