/**
 * The decisions of a sync, as pure functions from what the sheet holds (read.ts) and what the database holds
 * (store.ts) to the writes (apply.ts and store.ts carry them out). No clock, no database, no network here.
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
import type { JobStatus } from '../../jobs/model.js';
import { jobIdFromLink } from '../../jobs/model.js';
import { a1, cellText, columnLetter, columnMap, sheetStatus } from '../layout.js';
import type { SheetRow, SheetState, TabRead } from './read.js';
import type { LocalState, PostingMark, PostingState, RecordChanges } from './store.js';

/** How the database's record of the sheet is brought in line with what this read found (rule 2, run.ts). */
export interface RecordsPlan extends RecordChanges {
  /** Pending intents found in the sheet, and records dropped: for the log. */
  resolved: number;
  dropped: number;
  /** Keys that occur on more than one row of a tab. */
  duplicates: number;
  /** The sheet's posting rows by job id. */
  postingRows: Map<string, SheetRow[]>;
  /** The posting records as they are once this plan is applied. */
  marks: Map<number, PostingMark>;
}

export function planRecords(sheet: SheetState, local: LocalState, full: boolean): RecordsPlan {
  const postingRows = new Map<string, SheetRow[]>();
  for (const row of sheet.postings.rows) {
    const key = row.cells.get('job_id')?.trim() || (full ? jobIdFromLink(row.cells.get('link')) : null);
    if (!key) continue;
    const list = postingRows.get(key);
    if (list) list.push(row);
    else postingRows.set(key, [row]);
  }
  const resultKeys = new Map<string, number>();
  for (const row of sheet.results.rows) {
    const key = resultKey(
      row.cells.get('link') ?? '',
      row.cells.get('query') ?? '',
      row.cells.get('location') ?? '',
    );
    resultKeys.set(key, (resultKeys.get(key) ?? 0) + 1);
  }
  const duplicates =
    [...postingRows.values()].filter((rows) => rows.length > 1).length +
    [...resultKeys.values()].filter((count) => count > 1).length;

  const plan: RecordsPlan = {
    recordPostings: [],
    dropPostings: [],
    recordResults: [],
    dropResults: [],
    resolved: 0,
    dropped: 0,
    duplicates,
    postingRows,
    marks: new Map(local.postingMarks),
  };
  for (const posting of local.postings.values()) {
    const mark = plan.marks.get(posting.id);
    const inSheet = postingRows.get(posting.jobId)?.[0];
    if (inSheet) {
      if (!mark || mark.state === 'pending') {
        // Appended before a crash (or by another copy of this database): record it with what the sheet shows.
        const status = blankToNull(inSheet.cells.get('status'));
        const notes = blankToNull(inSheet.cells.get('notes'));
        plan.recordPostings.push({ postingId: posting.id, status, notes });
        plan.marks.set(posting.id, { state: 'synced', status, notes });
        if (mark) plan.resolved++;
      }
    } else if (mark && (mark.state === 'pending' || full)) {
      // The append never happened (or, with --full, the row was deleted from the sheet): send it again.
      plan.dropPostings.push(posting.id);
      plan.marks.delete(posting.id);
      plan.dropped++;
    }
  }
  for (const result of local.results) {
    const state = local.resultMarks.get(result.id);
    const present = resultKeys.has(
      resultKey(cellText(result.link), cellText(result.query), cellText(result.location)),
    );
    if (present && state !== 'synced') {
      plan.recordResults.push(result.id);
      if (state) plan.resolved++;
    } else if (!present && state && (state === 'pending' || full)) {
      plan.dropResults.push(result.id);
      plan.dropped++;
    }
  }
  return plan;
}

/** The status/notes exchange for the postings the sheet holds. */
export interface StatusPlan {
  /** Sheet edits to write locally; a field left null is not pulled (notes are wrapped: "pull an empty note"). */
  pulls: Array<{ posting: PostingState; status: JobStatus | null; notes: { value: string | null } | null }>;
  /** Local changes to write to the sheet's cells; `status`/`notes` null: that field is not pushed. */
  pushes: Array<{ posting: PostingState; status: string | null; notes: string | null }>;
  /** Both sides changed to the same value: only the base moves. */
  agreements: Array<{ postingId: number; status: string | null; notes: { value: string | null } | null }>;
  /** The cells to write: the pushes, and (with `full`) job ids missing from rows found by their link. */
  cellWrites: Array<{ range: string; values: string[][] }>;
  /** Status cells holding something other than a status (left alone, reported). */
  invalid: Array<{ row: number; value: string }>;
}

export interface StatusInput {
  /** The Job Postings tab as read, and its title now. */
  tab: TabRead;
  tabTitle: string;
  postings: Map<number, PostingState>;
  /** The records after planRecords: only 'synced' ones carry a base. */
  marks: Map<number, PostingMark>;
  rowsByJobId: Map<string, SheetRow[]>;
  /** When the previous sync read the sheet (null: never). */
  previousReadAt: string | null;
  full: boolean;
}

type Move = 'none' | 'agree' | 'pull' | 'push';

export function planStatuses(input: StatusInput): StatusPlan {
  const plan: StatusPlan = { pulls: [], pushes: [], agreements: [], cellWrites: [], invalid: [] };
  const columns = columnMap(input.tab.header);
  const cell = (column: string, row: number): string =>
    a1(input.tabTitle, `${columnLetter(columns.get(column)!)}${row}`);
  const previous = input.previousReadAt ? Date.parse(input.previousReadAt) : NaN;
  const idFills: Array<{ row: number; jobId: string }> = [];

  for (const [postingId, mark] of input.marks) {
    if (mark.state !== 'synced') continue;
    const posting = input.postings.get(postingId);
    const rows = posting ? input.rowsByJobId.get(posting.jobId) : undefined;
    if (!posting || !rows) continue;
    const first = rows[0]!;
    if (input.full)
      for (const row of rows)
        if (!row.cells.get('job_id')?.trim()) idFills.push({ row: row.row, jobId: posting.jobId });

    const typed = sheetStatus(first.cells.get('status'));
    if (typed === 'invalid')
      plan.invalid.push({ row: first.row, value: cellText(first.cells.get('status')) });
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
      localValue: string | null,
      blankIsChange: boolean,
    ): Move => {
      const sheetChanged = (sheetValue !== null || blankIsChange) && sheetValue !== base;
      const localChanged = localValue !== base;
      if (!sheetChanged && !localChanged) return 'none';
      if (sheetChanged && localChanged && sheetValue === localValue) return 'agree';
      if (sheetChanged && (!localChanged || !localIsNewer)) return 'pull';
      return 'push';
    };
    const statusMove = decide(sheetStatusValue, mark.status, localStatus, false);
    // Emptying a notes cell is an edit; emptying a status cell is not (a posting always has a status).
    const notesMove = decide(sheetNotes, mark.notes, localNotes, true);
    if (statusMove === 'pull' || notesMove === 'pull') {
      plan.pulls.push({
        posting,
        status: statusMove === 'pull' ? sheetStatusValue : null,
        notes: notesMove === 'pull' ? { value: sheetNotes === null ? null : cellText(sheetNotes) } : null,
      });
    }
    if (statusMove === 'push' || notesMove === 'push') {
      const push = {
        posting,
        status: statusMove === 'push' ? localStatus : null,
        notes: notesMove === 'push' ? (localNotes ?? '') : null,
      };
      plan.pushes.push(push);
      for (const row of rows) {
        if (push.status !== null)
          plan.cellWrites.push({ range: cell('status', row.row), values: [[push.status]] });
        if (push.notes !== null)
          plan.cellWrites.push({ range: cell('notes', row.row), values: [[push.notes]] });
      }
    }
    if (statusMove === 'agree' || notesMove === 'agree') {
      plan.agreements.push({
        postingId,
        status: statusMove === 'agree' ? localStatus : null,
        notes: notesMove === 'agree' ? { value: localNotes } : null,
      });
    }
  }
  for (const fill of idFills)
    plan.cellWrites.push({ range: cell('job_id', fill.row), values: [[fill.jobId]] });
  return plan;
}

/** A search result's identity in the sheet: the job (or the link) it points to, with the search that found it. */
function resultKey(link: string, query: string, location: string): string {
  return [jobIdFromLink(link) ?? link.trim(), query.trim(), location.trim()].join('\u0000');
}

export function blankToNull(value: string | undefined | null): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}
