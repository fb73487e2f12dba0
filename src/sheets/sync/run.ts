/**
 * `djs sheets sync` (SPEC §9): mirror the user's postings and search results into their spreadsheet, exactly
 * once, and carry status/notes edits both ways.
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
 * Status and notes, both ways
 * ---------------------------
 * For every posting the sheet holds, sheet_posting_rows keeps the status/notes the sheet is known to have
 * (the base). A field changed in the sheet when the sheet's value differs from the base; it changed locally
 * (`djs jobs set-status`) when the database's value differs from the base. One side changed: that side's
 * value is copied to the other (pull or push). Both changed to different values — newest change wins: Sheets
 * does not say when a cell was edited, only that it happened after the previous sync read the sheet. So a
 * local change made before that read is older than the sheet edit (the sheet wins), and a local change made
 * after it is taken as the newer one (the local value is pushed). A blank or unknown status in the sheet is
 * not a change (it is reported and left alone). Pushes write only the status/notes cells of the rows found by
 * job id in this sync's read, so a person may sort, filter or insert columns freely.
 */
import type { Clock } from '../../core/clock.js';
import { DjsError, ExitCode } from '../../core/errors.js';
import type { Db } from '../../db/database.js';
import { jobIdFromLink, JOB_STATUSES } from '../../jobs/model.js';
import { SheetsApiError, type SheetsGateway } from '../../google/sheets-gateway.js';
import { ProcessLock } from '../../db/process-lock.js';
import {
  a1,
  cellText,
  columnLetter,
  columnMap,
  columnRuns,
  layoutRow,
  missingColumns,
  POSTINGS_COLUMNS,
  REQUEST_BUDGET_BYTES,
  RESULTS_COLUMNS,
  rowBytes,
  sheetStatus,
  type TabKind,
} from '../layout.js';
import type { LinkedSpreadsheet, SpreadsheetRegistry } from '../registry.js';

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
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Rows per append at most, whatever their size. */
const MAX_ROWS_PER_APPEND = 10_000;
/** Re-reads after ambiguous appends before giving up. */
const MAX_ROUNDS = 6;
const PAGE = 250;

interface SheetRowValues {
  /** 1-based row number in the tab. */
  row: number;
  cells: Map<string, string>;
}

interface TabRead {
  header: string[];
  rows: SheetRowValues[];
}

interface PostingState {
  id: number;
  jobId: string;
  status: string;
  notes: string | null;
  statusChangedAt: string | null;
}

interface Mark {
  state: 'pending' | 'synced';
  status: string | null;
  notes: string | null;
}

const RESULT_KEY_SEPARATOR = '\u0000';

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
      throw this.explain(error, initial);
    } finally {
      this.lock.release();
    }
  }

  private async sync(
    initial: LinkedSpreadsheet,
    full: boolean,
  ): Promise<Omit<SyncResult, 'apiCalls' | 'durationMs'>> {
    let sheet = initial;
    const prevReadAt = sheet.lastReadAt;
    const result = {
      appended: { results: 0, postings: 0 },
      statusPulled: 0,
      statusPushed: 0,
      duplicatesInSheet: 0,
      invalidStatuses: 0,
    };
    for (let round = 0; ; round++) {
      const readAt = this.now();
      const read = await this.read(sheet, full);
      sheet = read.sheet;
      const postings = this.loadPostings();
      const keys = this.reconcile(sheet, read.postings, read.results, postings, full, readAt);
      if (round === 0) {
        result.duplicatesInSheet = keys.duplicates;
        const exchanged = await this.exchangeStatus(
          sheet,
          read.postings,
          postings,
          keys.postingRows,
          prevReadAt,
          full,
        );
        result.statusPulled = exchanged.pulled;
        result.statusPushed = exchanged.pushed;
        result.invalidStatuses = exchanged.invalid;
      }
      try {
        result.appended.postings += await this.appendPostings(sheet, read.postings.header);
        result.appended.results += await this.appendResults(sheet, read.results.header);
        break;
      } catch (error) {
        if (!(error instanceof SheetsApiError && error.ambiguous) || round + 1 >= MAX_ROUNDS) throw error;
        const wait = this.deps.gateway.backoffDelay?.(round) ?? 1000 * 2 ** round;
        this.deps.log?.(
          `An append's outcome is unknown (${error.message}); re-reading the sheet in ${wait} ms.`,
        );
        await (this.deps.sleep ?? sleep)(wait, this.deps.signal);
      }
    }
    this.deps.db
      .prepare(
        'UPDATE sheet_sync_state SET last_synced_at = ?, needs_full = 0 WHERE spreadsheet_row_id = ? AND user_id = ?',
      )
      .run(this.now(), sheet.rowId, this.deps.userId);
    return result;
  }

  // -------------------------------------------------------------------------------------------------------
  // Reading the sheet

  /**
   * One values.batchGet: both header rows and the narrow key columns. When a person renamed a tab or moved
   * columns, the layout is refreshed and the read repeated (rare: one or two extra calls).
   */
  private async read(
    sheet: LinkedSpreadsheet,
    full: boolean,
  ): Promise<{ sheet: LinkedSpreadsheet; postings: TabRead; results: TabRead }> {
    for (let attempt = 0; ; attempt++) {
      const plan = {
        postings: this.columnsToRead('postings', sheet.postingsColumns, full),
        results: this.columnsToRead('results', sheet.resultsColumns, full),
      };
      const ranges: string[] = [];
      const slots: Record<
        TabKind,
        { header: number; runs: Array<{ index: number; from: number; to: number }> }
      > = {
        postings: { header: 0, runs: [] },
        results: { header: 0, runs: [] },
      };
      for (const kind of ['postings', 'results'] as const) {
        const tab = kind === 'postings' ? sheet.postingsTab : sheet.resultsTab;
        slots[kind].header = ranges.push(a1(tab, '1:1')) - 1;
        for (const [from, to] of columnRuns(plan[kind])) {
          const index = ranges.push(a1(tab, `${columnLetter(from)}2:${columnLetter(to)}`)) - 1;
          slots[kind].runs.push({ index, from, to });
        }
      }
      let values: string[][][];
      try {
        values = await this.deps.gateway.batchGet(sheet.spreadsheetId, ranges);
      } catch (error) {
        if (
          attempt === 0 &&
          error instanceof SheetsApiError &&
          error.status === 400 &&
          /parse range/i.test(error.message)
        ) {
          sheet = await this.refreshTabs(sheet);
          continue;
        }
        throw error;
      }
      const headers = {
        postings: (values[slots.postings.header]?.[0] ?? []).map(String),
        results: (values[slots.results.header]?.[0] ?? []).map(String),
      };
      // Columns moved or renamed since we last looked: adopt the header as it is now and read again.
      const stale = (['postings', 'results'] as const).filter(
        (kind) =>
          !sameLayout(
            kind,
            kind === 'postings' ? sheet.postingsColumns : sheet.resultsColumns,
            headers[kind],
          ),
      );
      for (const kind of ['postings', 'results'] as const) {
        const missing = missingColumns(kind, headers[kind]);
        if (missing.length > 0) {
          const tab = kind === 'postings' ? sheet.postingsTab : sheet.resultsTab;
          throw new DjsError(
            `The "${tab}" tab of "${sheet.title}" has no ${missing.map((m) => `"${m}"`).join(', ')} column in its first row, so djs cannot tell which rows it holds. ` +
              `Restore the header, or run \`djs sheets link ${sheet.spreadsheetId} --add-missing\` to add the missing columns. Nothing was changed.`,
          );
        }
      }
      if (stale.length > 0) {
        if (attempt >= 2)
          throw new DjsError(
            `The header rows of "${sheet.title}" keep changing while djs reads them; try again in a moment.`,
          );
        this.deps.registry.updateTabs(sheet, {
          ...(stale.includes('postings') ? { postingsColumns: headers.postings } : {}),
          ...(stale.includes('results') ? { resultsColumns: headers.results } : {}),
        });
        sheet = {
          ...sheet,
          ...(stale.includes('postings') ? { postingsColumns: headers.postings } : {}),
          ...(stale.includes('results') ? { resultsColumns: headers.results } : {}),
        };
        continue;
      }
      const tabRead = (kind: TabKind): TabRead => {
        const header = headers[kind];
        const names = new Map([...columnMap(header)].map(([name, index]) => [index, name]));
        const rows = new Map<number, SheetRowValues>();
        for (const run of slots[kind].runs) {
          (values[run.index] ?? []).forEach((cells, i) => {
            const rowNumber = i + 2;
            let row = rows.get(rowNumber);
            if (!row) rows.set(rowNumber, (row = { row: rowNumber, cells: new Map() }));
            cells.forEach((cell, j) => {
              const name = names.get(run.from + j);
              if (name) row!.cells.set(name, cell);
            });
          });
        }
        return { header, rows: [...rows.values()].sort((a, b) => a.row - b.row) };
      };
      return { sheet, postings: tabRead('postings'), results: tabRead('results') };
    }
  }

  private columnsToRead(kind: TabKind, header: string[], full: boolean): number[] {
    const map = columnMap(
      header.length > 0 ? header : kind === 'postings' ? [...POSTINGS_COLUMNS] : [...RESULTS_COLUMNS],
    );
    const names =
      kind === 'postings'
        ? ['job_id', 'status', 'notes', ...(full ? ['link'] : [])]
        : ['link', 'query', 'location'];
    return names.map((name) => map.get(name)).filter((index): index is number => index !== undefined);
  }

  /** After a "cannot parse range": find the tabs by their ids (a person renamed them). */
  private async refreshTabs(sheet: LinkedSpreadsheet): Promise<LinkedSpreadsheet> {
    const info = await this.deps.gateway.get(sheet.spreadsheetId);
    const postings = info.tabs.find((tab) => tab.sheetId === sheet.postingsTabId);
    const results = info.tabs.find((tab) => tab.sheetId === sheet.resultsTabId);
    const gone = [!postings ? sheet.postingsTab : null, !results ? sheet.resultsTab : null].filter(Boolean);
    if (gone.length > 0) {
      throw new DjsError(
        `The tab${gone.length > 1 ? 's' : ''} ${gone.map((t) => `"${t}"`).join(' and ')} of "${info.title || sheet.title}" ${gone.length > 1 ? 'are' : 'is'} gone. ` +
          `Run \`djs sheets link ${sheet.spreadsheetId} --add-missing\` to add ${gone.length > 1 ? 'them' : 'it'} back (the next sync refills ${gone.length > 1 ? 'them' : 'it'}). Nothing was changed.`,
      );
    }
    this.deps.registry.updateTabs(sheet, {
      postingsTab: postings!.title,
      resultsTab: results!.title,
      title: info.title || undefined,
    });
    this.deps.log?.(`Tabs are now "${postings!.title}" and "${results!.title}".`);
    return {
      ...sheet,
      postingsTab: postings!.title,
      resultsTab: results!.title,
      title: info.title || sheet.title,
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Reconciling the database with what the sheet holds

  private loadPostings(): Map<number, PostingState> {
    const rows = this.deps.db
      .prepare(
        `SELECT id, job_id AS jobId, status, notes, status_changed_at AS statusChangedAt
         FROM job_postings WHERE user_id = ?`,
      )
      .all(this.deps.userId) as PostingState[];
    return new Map(rows.map((row) => [row.id, row]));
  }

  /**
   * Resolves intents and records rows found in the sheet, in one transaction; returns where each posting
   * sits in the sheet. Also stamps the read time (the conflict rule's "previous read" for the next sync).
   */
  private reconcile(
    sheet: LinkedSpreadsheet,
    postingsTab: TabRead,
    resultsTab: TabRead,
    postings: Map<number, PostingState>,
    full: boolean,
    readAt: string,
  ): { postingRows: Map<string, SheetRowValues[]>; duplicates: number } {
    const { db, userId } = this.deps;
    const postingRows = new Map<string, SheetRowValues[]>();
    for (const row of postingsTab.rows) {
      const key = row.cells.get('job_id')?.trim() || (full ? jobIdFromLink(row.cells.get('link')) : null);
      if (!key) continue;
      const list = postingRows.get(key);
      if (list) list.push(row);
      else postingRows.set(key, [row]);
    }
    const resultKeys = new Map<string, number>();
    for (const row of resultsTab.rows) {
      const key = resultKey(
        row.cells.get('link') ?? '',
        row.cells.get('query') ?? '',
        row.cells.get('location') ?? '',
      );
      resultKeys.set(key, (resultKeys.get(key) ?? 0) + 1);
    }
    let duplicates = [...postingRows.values()].filter((rows) => rows.length > 1).length;
    duplicates += [...resultKeys.values()].filter((count) => count > 1).length;

    const marks = new Map(
      (
        db
          .prepare(
            'SELECT posting_id AS id, state, status, notes FROM sheet_posting_rows WHERE spreadsheet_row_id = ?',
          )
          .all(sheet.rowId) as Array<Mark & { id: number }>
      ).map((mark) => [mark.id, mark]),
    );
    const resultMarks = new Map(
      (
        db
          .prepare('SELECT result_id AS id, state FROM sheet_result_rows WHERE spreadsheet_row_id = ?')
          .all(sheet.rowId) as Array<{
          id: number;
          state: string;
        }>
      ).map((mark) => [mark.id, mark.state]),
    );
    const results = db
      .prepare('SELECT id, link, query, location FROM job_search_results WHERE user_id = ?')
      .all(userId) as Array<{ id: number; link: string; query: string; location: string }>;

    const now = readAt;
    const upsertPosting = db.prepare(
      `INSERT INTO sheet_posting_rows (spreadsheet_row_id, posting_id, state, status, notes, updated_at)
       VALUES (?, ?, 'synced', ?, ?, ?)
       ON CONFLICT (spreadsheet_row_id, posting_id) DO UPDATE SET state = 'synced', status = excluded.status,
         notes = excluded.notes, updated_at = excluded.updated_at`,
    );
    const dropPosting = db.prepare(
      'DELETE FROM sheet_posting_rows WHERE spreadsheet_row_id = ? AND posting_id = ?',
    );
    const upsertResult = db.prepare(
      `INSERT INTO sheet_result_rows (spreadsheet_row_id, result_id, state, updated_at) VALUES (?, ?, 'synced', ?)
       ON CONFLICT (spreadsheet_row_id, result_id) DO UPDATE SET state = 'synced', updated_at = excluded.updated_at`,
    );
    const dropResult = db.prepare(
      'DELETE FROM sheet_result_rows WHERE spreadsheet_row_id = ? AND result_id = ?',
    );

    db.transaction(() => {
      let resolved = 0;
      let dropped = 0;
      for (const posting of postings.values()) {
        const mark = marks.get(posting.id);
        const inSheet = postingRows.get(posting.jobId)?.[0];
        if (inSheet) {
          if (!mark || mark.state === 'pending') {
            // Appended before a crash (or by another copy of this database): record it with what the sheet shows.
            upsertPosting.run(
              sheet.rowId,
              posting.id,
              blankToNull(inSheet.cells.get('status')),
              blankToNull(inSheet.cells.get('notes')),
              now,
            );
            marks.set(posting.id, {
              id: posting.id,
              state: 'synced',
              status: blankToNull(inSheet.cells.get('status')),
              notes: blankToNull(inSheet.cells.get('notes')),
            });
            if (mark) resolved++;
          }
        } else if (mark && (mark.state === 'pending' || full)) {
          // The append never happened (or, with --full, the row was deleted from the sheet): send it again.
          dropPosting.run(sheet.rowId, posting.id);
          marks.delete(posting.id);
          dropped++;
        }
      }
      for (const result of results) {
        const state = resultMarks.get(result.id);
        const present = resultKeys.has(
          resultKey(cellText(result.link), cellText(result.query), cellText(result.location)),
        );
        if (present && state !== 'synced') {
          upsertResult.run(sheet.rowId, result.id, now);
          if (state) resolved++;
        } else if (!present && state && (state === 'pending' || full)) {
          dropResult.run(sheet.rowId, result.id);
          dropped++;
        }
      }
      db.prepare(
        'UPDATE sheet_sync_state SET last_read_at = ? WHERE spreadsheet_row_id = ? AND user_id = ?',
      ).run(readAt, sheet.rowId, userId);
      if (resolved + dropped > 0)
        this.deps.log?.(`Reconciled with the sheet: ${resolved} rows found there, ${dropped} to send again.`);
    }).immediate();
    return { postingRows, duplicates };
  }

  // -------------------------------------------------------------------------------------------------------
  // Status and notes, both ways

  private async exchangeStatus(
    sheet: LinkedSpreadsheet,
    postingsTab: TabRead,
    postings: Map<number, PostingState>,
    rowsByKey: Map<string, SheetRowValues[]>,
    prevReadAt: string | null,
    full: boolean,
  ): Promise<{ pulled: number; pushed: number; invalid: number }> {
    const { db, userId } = this.deps;
    const marks = db
      .prepare(
        `SELECT posting_id AS id, status, notes FROM sheet_posting_rows WHERE spreadsheet_row_id = ? AND state = 'synced'`,
      )
      .all(sheet.rowId) as Array<{ id: number; status: string | null; notes: string | null }>;
    const columns = columnMap(postingsTab.header);
    const statusColumn = columns.get('status')!;
    const notesColumn = columns.get('notes')!;
    const idColumn = columns.get('job_id')!;
    /** A field left null is not pulled; notes are wrapped so that "pull an empty note" differs from "do not pull". */
    const pulls: Array<{
      posting: PostingState;
      status: string | null;
      notes: { value: string | null } | null;
    }> = [];
    const pushes: Array<{
      posting: PostingState;
      rows: SheetRowValues[];
      status: string | null;
      notes: string | null;
    }> = [];
    const idFills: Array<{ row: number; jobId: string }> = [];
    let invalid = 0;
    const agree = db.prepare(
      `UPDATE sheet_posting_rows SET status = CASE WHEN ? THEN ? ELSE status END, notes = CASE WHEN ? THEN ? ELSE notes END,
         updated_at = ? WHERE spreadsheet_row_id = ? AND posting_id = ?`,
    );
    const previous = prevReadAt ? Date.parse(prevReadAt) : NaN;

    for (const mark of marks) {
      const posting = postings.get(mark.id);
      const rows = posting ? rowsByKey.get(posting.jobId) : undefined;
      if (!posting || !rows) continue;
      const first = rows[0]!;
      if (full)
        for (const row of rows)
          if (!row.cells.get('job_id')?.trim()) idFills.push({ row: row.row, jobId: posting.jobId });

      const typed = sheetStatus(first.cells.get('status'));
      if (typed === 'invalid') {
        invalid++;
        this.deps.warn?.(
          `Row ${first.row} of "${sheet.postingsTab}" has the status "${cellText(first.cells.get('status')).slice(0, 40)}", which is not one of ${JOB_STATUSES.join(', ')}; it was left as it is.`,
        );
      }
      const sheetStatusValue = typed === 'invalid' ? null : typed;
      const sheetNotes = blankToNull(first.cells.get('notes'));
      const localStatus = posting.status;
      const localNotes = blankToNull(cellText(posting.notes));
      const localIsNewer =
        !Number.isNaN(previous) &&
        posting.statusChangedAt !== null &&
        Date.parse(posting.statusChangedAt) > previous;
      const decide = (
        sheetValue: string | null,
        base: string | null,
        local: string | null,
        blankIsChange: boolean,
      ) => {
        const sheetChanged = (sheetValue !== null || blankIsChange) && sheetValue !== base;
        const localChanged = local !== base;
        if (!sheetChanged && !localChanged) return 'none' as const;
        if (sheetChanged && localChanged && sheetValue === local) return 'agree' as const;
        if (sheetChanged && (!localChanged || !localIsNewer)) return 'pull' as const;
        return 'push' as const;
      };
      const statusMove = decide(sheetStatusValue, mark.status, localStatus, false);
      // Emptying a notes cell is an edit; emptying a status cell is not (a posting always has a status).
      const notesMove = decide(sheetNotes, mark.notes, localNotes, true);
      if (statusMove === 'pull' || notesMove === 'pull') {
        pulls.push({
          posting,
          status: statusMove === 'pull' ? sheetStatusValue : null,
          notes: notesMove === 'pull' ? { value: sheetNotes === null ? null : cellText(sheetNotes) } : null,
        });
      }
      if (statusMove === 'push' || notesMove === 'push') {
        pushes.push({
          posting,
          rows,
          status: statusMove === 'push' ? localStatus : null,
          notes: notesMove === 'push' ? (localNotes ?? '') : null,
        });
      }
      if (statusMove === 'agree' || notesMove === 'agree') {
        agree.run(
          statusMove === 'agree' ? 1 : 0,
          localStatus,
          notesMove === 'agree' ? 1 : 0,
          localNotes,
          this.now(),
          sheet.rowId,
          posting.id,
        );
      }
    }

    // Pull: the sheet's edits into the database, each only if the posting did not change meanwhile.
    if (pulls.length > 0) {
      const now = this.now();
      const update = db.prepare(
        `UPDATE job_postings SET status = @status, notes = @notes, status_changed_at = @now, updated_at = @now
         WHERE id = @id AND user_id = @userId AND status = @oldStatus AND notes IS @oldNotes`,
      );
      const recordBase = this.baseRecorder(sheet.rowId);
      const history = this.statusHistory();
      db.transaction(() => {
        for (const pull of pulls) {
          const status = pull.status ?? pull.posting.status;
          const notes = pull.notes ? pull.notes.value : pull.posting.notes;
          const { changes } = update.run({
            status,
            notes,
            now,
            id: pull.posting.id,
            userId,
            oldStatus: pull.posting.status,
            oldNotes: pull.posting.notes,
          });
          if (changes === 0) continue;
          recordBase(pull.posting.id, pull.status, pull.notes, now);
          history(pull.posting, status, notes, now);
        }
      }).immediate();
    }

    // Push: local changes into the status/notes cells of the rows found in this read (RAW, idempotent).
    const data: Array<{ range: string; values: string[][] }> = [];
    for (const push of pushes) {
      for (const row of push.rows) {
        if (push.status !== null)
          data.push({
            range: a1(sheet.postingsTab, `${columnLetter(statusColumn)}${row.row}`),
            values: [[push.status]],
          });
        if (push.notes !== null)
          data.push({
            range: a1(sheet.postingsTab, `${columnLetter(notesColumn)}${row.row}`),
            values: [[push.notes]],
          });
      }
    }
    for (const fill of idFills)
      data.push({
        range: a1(sheet.postingsTab, `${columnLetter(idColumn)}${fill.row}`),
        values: [[fill.jobId]],
      });
    for (const chunk of chunkBySize(data, (entry) => Buffer.byteLength(JSON.stringify(entry)) + 1)) {
      await this.deps.gateway.writeValues(sheet.spreadsheetId, chunk);
    }
    if (pushes.length > 0) {
      const recordBase = this.baseRecorder(sheet.rowId);
      const now = this.now();
      db.transaction(() => {
        for (const push of pushes) {
          recordBase(
            push.posting.id,
            push.status,
            push.notes === null ? null : { value: blankToNull(push.notes) },
            now,
          );
        }
      }).immediate();
    }
    return { pulled: pulls.length, pushed: pushes.length, invalid };
  }

  /**
   * Records what the sheet now holds for a posting after a pull or a push: the base the next sync compares
   * both sides against. A null status or notes leaves that part of the base as it was.
   */
  private baseRecorder(
    sheetRowId: number,
  ): (postingId: number, status: string | null, notes: { value: string | null } | null, at: string) => void {
    const update = this.deps.db.prepare(
      `UPDATE sheet_posting_rows SET status = COALESCE(?, status), notes = CASE WHEN ? THEN ? ELSE notes END, updated_at = ?
       WHERE spreadsheet_row_id = ? AND posting_id = ?`,
    );
    return (postingId, status, notes, at) => {
      update.run(status, notes ? 1 : 0, notes?.value ?? null, at, sheetRowId, postingId);
    };
  }

  /**
   * A status pulled from the sheet goes into the application history (job_status_changes, migration 003) like
   * one set with `djs jobs set-status`, marked as coming from the spreadsheet. Notes-only edits are not status
   * changes and leave no history row.
   */
  private statusHistory(): (posting: PostingState, status: string, notes: string | null, at: string) => void {
    const insert = this.deps.db.prepare(
      `INSERT INTO job_status_changes (user_id, posting_id, old_status, new_status, note, changed_at)
       VALUES (?, ?, ?, ?, 'changed in the spreadsheet', ?)`,
    );
    return (posting, status, _notes, at) => {
      if (status !== posting.status) insert.run(this.deps.userId, posting.id, posting.status, status, at);
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Appending

  private async appendPostings(sheet: LinkedSpreadsheet, header: string[]): Promise<number> {
    const { db, userId } = this.deps;
    const page = db.prepare(
      `SELECT p.id, p.job_id, p.link, p.job_title, p.job_company, p.job_location, p.job_date, p.job_applicants,
         p.job_salary, p.job_description, p.job_seniority, p.job_employment_type, p.job_function, p.job_industries,
         p.added_at, p.status, p.notes
       FROM job_postings p
       WHERE p.user_id = ? AND p.id > ? AND NOT EXISTS (
         SELECT 1 FROM sheet_posting_rows r WHERE r.spreadsheet_row_id = ? AND r.posting_id = p.id)
       ORDER BY p.id LIMIT ?`,
    );
    const columns = columnMap(header);
    const statusAt = columns.get('status')!;
    const notesAt = columns.get('notes')!;
    const intend = db.prepare(
      `INSERT INTO sheet_posting_rows (spreadsheet_row_id, posting_id, state, status, notes, updated_at)
       VALUES (?, ?, 'pending', ?, ?, ?)`,
    );
    return this.appendAll<Record<string, string | number | null> & { id: number }>({
      sheet,
      tab: sheet.postingsTab,
      header,
      fetch: (after) =>
        page.all(userId, after, sheet.rowId, PAGE) as Array<
          Record<string, string | number | null> & { id: number }
        >,
      row: (posting) => {
        const values: Record<string, string> = {};
        for (const name of POSTINGS_COLUMNS) values[name] = cellText(posting[name] as string | number | null);
        return layoutRow(header, values);
      },
      intend: (posting, row, now) =>
        intend.run(sheet.rowId, posting.id, blankToNull(row[statusAt]), blankToNull(row[notesAt]), now),
      table: 'sheet_posting_rows',
      idColumn: 'posting_id',
    });
  }

  private async appendResults(sheet: LinkedSpreadsheet, header: string[]): Promise<number> {
    const { db, userId } = this.deps;
    const page = db.prepare(
      `SELECT r.id, r.link, r.added_at, r.query, r.location FROM job_search_results r
       WHERE r.user_id = ? AND r.id > ? AND NOT EXISTS (
         SELECT 1 FROM sheet_result_rows s WHERE s.spreadsheet_row_id = ? AND s.result_id = r.id)
       ORDER BY r.id LIMIT ?`,
    );
    const intend = db.prepare(
      `INSERT INTO sheet_result_rows (spreadsheet_row_id, result_id, state, updated_at) VALUES (?, ?, 'pending', ?)`,
    );
    return this.appendAll<{ id: number; link: string; added_at: string; query: string; location: string }>({
      sheet,
      tab: sheet.resultsTab,
      header,
      fetch: (after) =>
        page.all(userId, after, sheet.rowId, PAGE * 4) as Array<{
          id: number;
          link: string;
          added_at: string;
          query: string;
          location: string;
        }>,
      row: (result) =>
        layoutRow(header, {
          link: cellText(result.link),
          added_at: cellText(result.added_at),
          query: cellText(result.query),
          location: cellText(result.location),
        }),
      intend: (result, _row, now) => intend.run(sheet.rowId, result.id, now),
      table: 'sheet_result_rows',
      idColumn: 'result_id',
    });
  }

  /**
   * Appends every unrecorded item in batches under the request budget: intent (pending) → append → synced.
   * A definite failure drops the batch's intents; an ambiguous one leaves them for the re-read to settle.
   */
  private async appendAll<T extends { id: number }>(spec: {
    sheet: LinkedSpreadsheet;
    tab: string;
    header: string[];
    fetch: (afterId: number) => T[];
    row: (item: T) => string[];
    intend: (item: T, row: string[], now: string) => void;
    table: 'sheet_posting_rows' | 'sheet_result_rows';
    idColumn: 'posting_id' | 'result_id';
  }): Promise<number> {
    const { db } = this.deps;
    const range = a1(spec.tab, `A:${columnLetter(Math.max(0, spec.header.length - 1))}`);
    const overhead = Buffer.byteLength(JSON.stringify({ majorDimension: 'ROWS', values: [] }));
    let carry: T[] = [];
    let lastId = 0;
    let appended = 0;
    for (;;) {
      this.deps.signal?.throwIfAborted();
      const batch: Array<{ item: T; row: string[] }> = [];
      let bytes = overhead;
      for (;;) {
        if (carry.length === 0) {
          carry = spec.fetch(lastId);
          if (carry.length === 0) break;
        }
        const item = carry[0]!;
        const row = spec.row(item);
        const size = rowBytes(row);
        if (batch.length > 0 && (bytes + size > REQUEST_BUDGET_BYTES || batch.length >= MAX_ROWS_PER_APPEND))
          break;
        batch.push({ item, row });
        bytes += size;
        carry.shift();
        lastId = item.id;
      }
      if (batch.length === 0) return appended;
      const now = this.now();
      db.transaction(() => {
        for (const { item, row } of batch) spec.intend(item, row, now);
      }).immediate();
      const ids = batch.map(({ item }) => item.id);
      try {
        const answer = await this.deps.gateway.append(
          spec.sheet.spreadsheetId,
          range,
          batch.map(({ row }) => row),
        );
        if (answer.updatedRows !== batch.length) {
          this.deps.warn?.(
            `Google reported ${answer.updatedRows} rows appended to "${spec.tab}" for ${batch.length} sent; \`djs sheets sync --full\` re-checks.`,
          );
        }
      } catch (error) {
        if (!(error instanceof SheetsApiError && error.ambiguous)) {
          // Google refused it: nothing was appended, so the intents go.
          this.setState(spec.table, spec.idColumn, spec.sheet.rowId, ids, null);
        }
        throw error;
      }
      this.setState(spec.table, spec.idColumn, spec.sheet.rowId, ids, 'synced');
      appended += batch.length;
      this.deps.log?.(`Appended ${batch.length} rows to "${spec.tab}" (${Math.round(bytes / 1024)} KB).`);
    }
  }

  private setState(
    table: 'sheet_posting_rows' | 'sheet_result_rows',
    idColumn: 'posting_id' | 'result_id',
    rowId: number,
    ids: number[],
    state: 'synced' | null,
  ): void {
    const { db } = this.deps;
    const statement =
      state === null
        ? db.prepare(
            `DELETE FROM ${table} WHERE spreadsheet_row_id = ? AND ${idColumn} = ? AND state = 'pending'`,
          )
        : db.prepare(
            `UPDATE ${table} SET state = 'synced', updated_at = ? WHERE spreadsheet_row_id = ? AND ${idColumn} = ?`,
          );
    const now = this.now();
    db.transaction(() => {
      for (const id of ids) {
        if (state === null) statement.run(rowId, id);
        else statement.run(now, rowId, id);
      }
    }).immediate();
  }

  // -------------------------------------------------------------------------------------------------------

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /** Google's failures in the person's terms, naming the spreadsheet. Local data is never touched by these. */
  private explain(error: unknown, sheet: LinkedSpreadsheet): unknown {
    if (!(error instanceof SheetsApiError)) return error;
    return sheetsError(error, sheet.title, sheet.spreadsheetId);
  }
}

/** A SheetsApiError as a DjsError naming the spreadsheet (exit 1; 401 → exit 4 via the caller's link check). */
export function sheetsError(error: SheetsApiError, title: string, spreadsheetId: string): DjsError {
  const name = `"${title}" (${spreadsheetId})`;
  const cause = { cause: error };
  switch (error.status) {
    case 404:
      return new DjsError(
        `The spreadsheet ${name} was not found at Google: it was deleted, or djs can no longer open it. Nothing was changed locally. ` +
          `Make a new one with \`djs sheets create\`, or stop syncing it with \`djs sheets unlink ${spreadsheetId}\`.`,
        undefined,
        cause,
      );
    case 403:
      return new DjsError(
        `djs no longer has permission to open the spreadsheet ${name} (its owner removed access, or it was not made or opened with djs). ` +
          `Nothing was changed locally. Ask for access again, or use another one with \`djs sheets create\`.`,
        undefined,
        cause,
      );
    case 401:
      return new DjsError(
        'Google no longer accepts the access token of your link (401). Run `djs login --google` to connect again.',
        ExitCode.auth,
        cause,
      );
    case 429:
      return new DjsError(
        `Google's Sheets quota stayed exhausted (429 RESOURCE_EXHAUSTED) through every retry while syncing ${name}. ` +
          'What was synced so far is recorded; run `djs sheets sync` again in a minute or two.',
        undefined,
        cause,
      );
    case 0:
      return new DjsError(
        `Could not reach Google Sheets (${error.reason}) while syncing ${name}. What was synced so far is recorded; check the network and run \`djs sheets sync\` again.`,
        undefined,
        cause,
      );
    default:
      if (error.status >= 500) {
        return new DjsError(
          `Google Sheets kept failing (${error.status} ${error.reason}) while syncing ${name}. What was synced so far is recorded; run \`djs sheets sync\` again later.`,
          undefined,
          cause,
        );
      }
      return new DjsError(`Google Sheets refused a request for ${name}: ${error.message}`, undefined, cause);
  }
}

function sameLayout(kind: TabKind, stored: string[], fresh: string[]): boolean {
  if (stored.length === 0) return false;
  const a = columnMap(stored);
  const b = columnMap(fresh);
  const names = kind === 'postings' ? POSTINGS_COLUMNS : RESULTS_COLUMNS;
  return names.every((name) => a.get(name) === b.get(name));
}

function resultKey(link: string, query: string, location: string): string {
  return [jobIdFromLink(link) ?? link.trim(), query.trim(), location.trim()].join(RESULT_KEY_SEPARATOR);
}

function blankToNull(value: string | undefined | null): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

/** Splits entries into requests under the byte budget. */
function chunkBySize<T>(items: T[], size: (item: T) => number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length > 0 && bytes + n > REQUEST_BUDGET_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += n;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
