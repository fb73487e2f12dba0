import type { Clock } from '../core/clock.js';
import { UsageError } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { POSTINGS_TAB, RESULTS_TAB } from './layout.js';
import { spreadsheetUrl } from '../accounts/overview.js';
import { SPREADSHEET_ID } from '../google/endpoints.js';

/** What djs records about a spreadsheet: its tabs and their header layout. */
export interface SpreadsheetRecord {
  spreadsheetId: string;
  title: string;
  postingsTabId: number;
  postingsTab: string;
  resultsTabId: number;
  resultsTab: string;
  postingsColumns: string[];
  resultsColumns: string[];
  needsFull: boolean;
}

/** A spreadsheet linked to a user, with what the sync needs to find its tabs. */
export interface LinkedSpreadsheet extends SpreadsheetRecord {
  rowId: number;
  userId: number;
  active: boolean;
  lastReadAt: string | null;
  lastSyncedAt: string | null;
  url: string;
}

/**
 * A spreadsheet id from what a person pastes: a bare id, or any Google Sheets URL
 * (https://docs.google.com/spreadsheets/d/<id>/edit#gid=0, …/u/0/d/<id>/…). Anything else is exit 2.
 */
export function parseSpreadsheetRef(input: string): string {
  const text = input.trim();
  if (SPREADSHEET_ID.test(text)) return text;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url && (url.protocol === 'https:' || url.protocol === 'http:')) {
    const match = /\/spreadsheets\/(?:u\/\d+\/)?d\/([^/?#]+)/.exec(url.pathname);
    if (match && SPREADSHEET_ID.test(match[1]!)) return match[1]!;
    throw new UsageError(
      'That URL is not a Google Sheets link: expected https://docs.google.com/spreadsheets/d/<id>/… (or just the id).',
    );
  }
  throw new UsageError(
    `"${text.slice(0, 60)}" is not a spreadsheet id or URL: an id is 44 letters, digits, "-" and "_", as in https://docs.google.com/spreadsheets/d/<id>/edit.`,
  );
}

interface Row {
  id: number;
  user_id: number;
  spreadsheet_id: string;
  sheet_id: string;
  spreadsheet_name: string | null;
  sheet_name: string | null;
  is_active: number;
  results_tab_id: number | null;
  results_tab: string | null;
  postings_columns: string | null;
  results_columns: string | null;
  needs_full: number | null;
  last_read_at: string | null;
  last_synced_at: string | null;
}

const SELECT = `SELECT s.*, st.results_tab_id, st.results_tab, st.postings_columns, st.results_columns, st.needs_full,
    st.last_read_at, st.last_synced_at
  FROM user_spreadsheets s LEFT JOIN sheet_sync_state st ON st.spreadsheet_row_id = s.id`;

/** The user's spreadsheets in the database (user_spreadsheets + sheet_sync_state); every query filters by user. */
export class SpreadsheetRegistry {
  constructor(
    private readonly db: Db,
    private readonly userId: number,
    private readonly clock: Clock,
  ) {}

  list(): LinkedSpreadsheet[] {
    return (
      this.db.prepare(`${SELECT} WHERE s.user_id = ? ORDER BY s.created_at, s.id`).all(this.userId) as Row[]
    ).map(toLinked);
  }

  active(): LinkedSpreadsheet | null {
    const row = this.db
      .prepare(
        `${SELECT} WHERE s.user_id = ? AND s.is_active = 1 ORDER BY s.updated_at DESC, s.id DESC LIMIT 1`,
      )
      .get(this.userId) as Row | undefined;
    return row ? toLinked(row) : null;
  }

  find(spreadsheetId: string): LinkedSpreadsheet | null {
    const row = this.db
      .prepare(`${SELECT} WHERE s.user_id = ? AND s.spreadsheet_id = ?`)
      .get(this.userId, spreadsheetId) as Row | undefined;
    return row ? toLinked(row) : null;
  }

  /** A linked spreadsheet by id or URL, or exit 2 saying how to see the linked ones. */
  require(ref: string): LinkedSpreadsheet {
    const id = parseSpreadsheetRef(ref);
    const found = this.find(id);
    if (!found) {
      throw new UsageError(
        `No spreadsheet with the id ${id} is linked to your account. \`djs sheets list\` shows yours; \`djs sheets link <url>\` adds one.`,
      );
    }
    return found;
  }

  /** The active spreadsheet, or exit 2 saying how to make one. */
  requireActive(): LinkedSpreadsheet {
    const active = this.active();
    if (!active) {
      throw new UsageError(
        'No spreadsheet is linked: run `djs sheets create` to make one, or `djs sheets link <url>` to use an existing one.',
      );
    }
    return active;
  }

  /** Records (or refreshes) a spreadsheet and makes it the active one, in one transaction. */
  save(record: SpreadsheetRecord): LinkedSpreadsheet {
    const now = this.clock.now().toISOString();
    this.db
      .transaction(() => {
        this.deactivateAll(now);
        this.db
          .prepare(
            `INSERT INTO user_spreadsheets (user_id, spreadsheet_id, sheet_id, spreadsheet_name, sheet_name, is_active, created_at, updated_at)
             VALUES (@userId, @spreadsheetId, @sheetId, @title, @postingsTab, 1, @now, @now)
             ON CONFLICT (user_id, spreadsheet_id) DO UPDATE SET sheet_id = excluded.sheet_id,
               spreadsheet_name = excluded.spreadsheet_name, sheet_name = excluded.sheet_name, is_active = 1,
               updated_at = excluded.updated_at`,
          )
          .run({ ...record, sheetId: String(record.postingsTabId), userId: this.userId, now });
        const { id } = this.db
          .prepare('SELECT id FROM user_spreadsheets WHERE user_id = ? AND spreadsheet_id = ?')
          .get(this.userId, record.spreadsheetId) as { id: number };
        this.db
          .prepare(
            `INSERT INTO sheet_sync_state (spreadsheet_row_id, user_id, results_tab_id, results_tab, postings_columns,
               results_columns, needs_full)
             VALUES (@id, @userId, @resultsTabId, @resultsTab, @postingsColumns, @resultsColumns, @needsFull)
             ON CONFLICT (spreadsheet_row_id) DO UPDATE SET results_tab_id = excluded.results_tab_id,
               results_tab = excluded.results_tab, postings_columns = excluded.postings_columns,
               results_columns = excluded.results_columns, needs_full = MAX(needs_full, excluded.needs_full)`,
          )
          .run({
            id,
            userId: this.userId,
            resultsTabId: record.resultsTabId,
            resultsTab: record.resultsTab,
            postingsColumns: JSON.stringify(record.postingsColumns),
            resultsColumns: JSON.stringify(record.resultsColumns),
            needsFull: record.needsFull ? 1 : 0,
          });
      })
      .immediate();
    return this.find(record.spreadsheetId)!;
  }

  /** At most one spreadsheet is active: every change of the active one starts here, inside its transaction. */
  private deactivateAll(now: string): void {
    this.db
      .prepare(
        'UPDATE user_spreadsheets SET is_active = 0, updated_at = ? WHERE user_id = ? AND is_active = 1',
      )
      .run(now, this.userId);
  }

  use(sheet: LinkedSpreadsheet): void {
    const now = this.clock.now().toISOString();
    this.db
      .transaction(() => {
        this.deactivateAll(now);
        this.db
          .prepare('UPDATE user_spreadsheets SET is_active = 1, updated_at = ? WHERE user_id = ? AND id = ?')
          .run(now, this.userId, sheet.rowId);
      })
      .immediate();
  }

  /** Forgets a spreadsheet here (its sync state goes with it by cascade); the file stays in Google Drive. */
  unlink(sheet: LinkedSpreadsheet): void {
    this.db
      .prepare('DELETE FROM user_spreadsheets WHERE user_id = ? AND id = ?')
      .run(this.userId, sheet.rowId);
  }

  /** New tab names, ids or header layouts seen by a sync (a person renamed or moved something). */
  updateTabs(
    sheet: LinkedSpreadsheet,
    tabs: Partial<
      Pick<SpreadsheetRecord, 'postingsTab' | 'resultsTab' | 'postingsColumns' | 'resultsColumns' | 'title'>
    >,
  ): void {
    const now = this.clock.now().toISOString();
    this.db
      .transaction(() => {
        if (tabs.postingsTab !== undefined || tabs.title !== undefined) {
          this.db
            .prepare(
              `UPDATE user_spreadsheets SET sheet_name = COALESCE(?, sheet_name), spreadsheet_name = COALESCE(?, spreadsheet_name),
                 updated_at = ? WHERE user_id = ? AND id = ?`,
            )
            .run(tabs.postingsTab ?? null, tabs.title ?? null, now, this.userId, sheet.rowId);
        }
        this.db
          .prepare(
            `UPDATE sheet_sync_state SET results_tab = COALESCE(?, results_tab),
               postings_columns = COALESCE(?, postings_columns), results_columns = COALESCE(?, results_columns)
             WHERE spreadsheet_row_id = ? AND user_id = ?`,
          )
          .run(
            tabs.resultsTab ?? null,
            tabs.postingsColumns ? JSON.stringify(tabs.postingsColumns) : null,
            tabs.resultsColumns ? JSON.stringify(tabs.resultsColumns) : null,
            sheet.rowId,
            this.userId,
          );
      })
      .immediate();
  }
}

function toLinked(row: Row): LinkedSpreadsheet {
  const parse = (text: string | null, fallback: string[]): string[] => {
    try {
      const value = JSON.parse(text ?? 'null') as unknown;
      return Array.isArray(value) ? value.map(String) : fallback;
    } catch {
      return fallback;
    }
  };
  return {
    rowId: row.id,
    userId: row.user_id,
    spreadsheetId: row.spreadsheet_id,
    title: row.spreadsheet_name ?? row.spreadsheet_id,
    active: row.is_active === 1,
    postingsTabId: Number(row.sheet_id),
    postingsTab: row.sheet_name ?? POSTINGS_TAB,
    resultsTabId: row.results_tab_id ?? -1,
    resultsTab: row.results_tab ?? RESULTS_TAB,
    postingsColumns: parse(row.postings_columns, []),
    resultsColumns: parse(row.results_columns, []),
    // A spreadsheet recorded without sync state (by an older djs): compare everything on the first sync.
    needsFull: row.needs_full === null ? true : row.needs_full === 1,
    lastReadAt: row.last_read_at,
    lastSyncedAt: row.last_synced_at,
    url: spreadsheetUrl(row.spreadsheet_id),
  };
}
