import { SheetsApiError, type SheetsGateway } from '../../google/sheets-gateway.js';
import { JOB_STATUSES } from '../../jobs/model.js';
import type { JobTracking } from '../../jobs/tracking.js';
import {
  a1,
  cellText,
  columnLetter,
  columnMap,
  layoutRow,
  POSTINGS_COLUMNS,
  REQUEST_BUDGET_BYTES,
  rowBytes,
} from '../layout.js';
import type { LinkedSpreadsheet } from '../registry.js';
import { blankToNull, type StatusPlan } from './plan.js';
import type { AppendTable, SyncStore } from './store.js';

/** What carrying out a plan needs: the sheet's gateway, the sync's store, postings' tracking and a clock. */
export interface ApplyDeps {
  gateway: SheetsGateway;
  store: SyncStore;
  tracking: JobTracking;
  now: () => string;
  signal?: AbortSignal;
  log?: (message: string) => void;
  warn?: (message: string) => void;
}

/** Rows per append at most, whatever their size. */
const MAX_ROWS_PER_APPEND = 10_000;
/** Postings read from the database per page while appending (results are narrower: four times as many). */
const PAGE = 250;

/**
 * Pulls (each only if the posting did not change meanwhile), then pushes into the status/notes cells of the
 * rows found in this read (RAW, idempotent), then the new bases. Returns how many postings moved each way.
 */
export async function exchangeStatuses(
  deps: ApplyDeps,
  sheet: LinkedSpreadsheet,
  plan: StatusPlan,
): Promise<{ pulled: number; pushed: number }> {
  const { store, tracking } = deps;
  for (const { row, value } of plan.invalid) {
    deps.warn?.(
      `Row ${row} of "${sheet.postingsTab}" has the status "${value.slice(0, 40)}", which is not one of ${JOB_STATUSES.join(', ')}; it was left as it is.`,
    );
  }
  if (plan.agreements.length > 0) {
    const now = deps.now();
    store.transaction(() => {
      for (const agreed of plan.agreements)
        store.recordBase(agreed.postingId, agreed.status, agreed.notes, now);
    });
  }
  if (plan.pulls.length > 0) {
    const now = deps.now();
    store.transaction(() => {
      for (const pull of plan.pulls) {
        const from = { status: pull.posting.status, notes: pull.posting.notes };
        const to = { status: pull.status ?? from.status, notes: pull.notes ? pull.notes.value : from.notes };
        if (tracking.applySheetEdit(pull.posting.id, from, to))
          store.recordBase(pull.posting.id, pull.status, pull.notes, now);
      }
    });
  }
  for (const chunk of chunkBySize(plan.cellWrites, (entry) => Buffer.byteLength(JSON.stringify(entry)) + 1)) {
    await deps.gateway.writeValues(sheet.spreadsheetId, chunk);
  }
  if (plan.pushes.length > 0) {
    const now = deps.now();
    store.transaction(() => {
      for (const push of plan.pushes) {
        const notes = push.notes === null ? null : { value: blankToNull(push.notes) };
        store.recordBase(push.posting.id, push.status, notes, now);
      }
    });
  }
  return { pulled: plan.pulls.length, pushed: plan.pushes.length };
}

/** Appends every posting the sheet has no record of, under the request budget. */
export function appendPostings(deps: ApplyDeps, sheet: LinkedSpreadsheet, header: string[]): Promise<number> {
  const columns = columnMap(header);
  const statusAt = columns.get('status')!;
  const notesAt = columns.get('notes')!;
  return appendAll(deps, {
    sheet,
    tab: sheet.postingsTab,
    header,
    table: 'sheet_posting_rows',
    fetch: (after) => deps.store.postingsToAppend(after, PAGE),
    row: (posting) => {
      const values: Record<string, string> = {};
      for (const name of POSTINGS_COLUMNS) values[name] = cellText(posting[name]);
      return layoutRow(header, values);
    },
    intend: (batch, now) =>
      deps.store.intendPostings(
        batch.map(({ item, row }) => ({
          id: item.id,
          status: blankToNull(row[statusAt]),
          notes: blankToNull(row[notesAt]),
        })),
        now,
      ),
  });
}

/** Appends every search result the sheet has no record of, under the request budget. */
export function appendResults(deps: ApplyDeps, sheet: LinkedSpreadsheet, header: string[]): Promise<number> {
  return appendAll(deps, {
    sheet,
    tab: sheet.resultsTab,
    header,
    table: 'sheet_result_rows',
    fetch: (after) => deps.store.resultsToAppend(after, PAGE * 4),
    row: (result) =>
      layoutRow(header, {
        link: cellText(result.link),
        added_at: cellText(result.added_at),
        query: cellText(result.query),
        location: cellText(result.location),
      }),
    intend: (batch, now) =>
      deps.store.intendResults(
        batch.map(({ item }) => item.id),
        now,
      ),
  });
}

/**
 * Appends every unrecorded item in batches under the request budget: intent (pending) → append → synced.
 * A definite failure drops the batch's intents; an ambiguous one leaves them for the re-read to settle.
 */
async function appendAll<T extends { id: number }>(
  deps: ApplyDeps,
  spec: {
    sheet: LinkedSpreadsheet;
    tab: string;
    header: string[];
    table: AppendTable;
    fetch: (afterId: number) => T[];
    row: (item: T) => string[];
    intend: (batch: Array<{ item: T; row: string[] }>, now: string) => void;
  },
): Promise<number> {
  const range = a1(spec.tab, `A:${columnLetter(Math.max(0, spec.header.length - 1))}`);
  const overhead = Buffer.byteLength(JSON.stringify({ majorDimension: 'ROWS', values: [] }));
  let carry: T[] = [];
  let lastId = 0;
  let appended = 0;
  for (;;) {
    deps.signal?.throwIfAborted();
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
    spec.intend(batch, deps.now());
    const ids = batch.map(({ item }) => item.id);
    try {
      const answer = await deps.gateway.append(
        spec.sheet.spreadsheetId,
        range,
        batch.map(({ row }) => row),
      );
      if (answer.updatedRows !== batch.length) {
        deps.warn?.(
          `Google reported ${answer.updatedRows} rows appended to "${spec.tab}" for ${batch.length} sent; \`djs sheets sync --full\` re-checks.`,
        );
      }
    } catch (error) {
      // Google refused it: nothing was appended, so the intents go.
      if (!(error instanceof SheetsApiError && error.ambiguous)) deps.store.dropIntents(spec.table, ids);
      throw error;
    }
    deps.store.markSynced(spec.table, ids, deps.now());
    appended += batch.length;
    deps.log?.(`Appended ${batch.length} rows to "${spec.tab}" (${Math.round(bytes / 1024)} KB).`);
  }
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
