import { DjsError } from '../../core/errors.js';
import { SheetsApiError, type SheetsGateway } from '../../google/sheets-gateway.js';
import {
  a1,
  columnLetter,
  columnMap,
  columnRuns,
  missingColumns,
  POSTINGS_COLUMNS,
  RESULTS_COLUMNS,
  type TabKind,
} from '../layout.js';
import type { LinkedSpreadsheet, SpreadsheetRegistry } from '../registry.js';

export interface SheetRow {
  /** 1-based row number in the tab. */
  row: number;
  cells: Map<string, string>;
}

export interface TabRead {
  header: string[];
  rows: SheetRow[];
}

/** What one read found: the spreadsheet as it is now (tabs renamed, columns moved) and both tabs' key columns. */
export interface SheetState {
  sheet: LinkedSpreadsheet;
  postings: TabRead;
  results: TabRead;
}

export interface ReadDeps {
  gateway: SheetsGateway;
  registry: SpreadsheetRegistry;
  log?: (message: string) => void;
}

const KINDS = ['postings', 'results'] as const;

/**
 * One values.batchGet: both header rows and the narrow key columns (Job Postings: job_id, status, notes, and
 * link with `full`; Job Search Results: link, query, location). When a person renamed a tab or moved columns,
 * the layout is refreshed and the read repeated (rare: one or two extra calls).
 */
export async function readSheet(
  deps: ReadDeps,
  initial: LinkedSpreadsheet,
  full: boolean,
): Promise<SheetState> {
  let sheet = initial;
  for (let attempt = 0; ; attempt++) {
    const ranges: string[] = [];
    const slots: Record<TabKind, { header: number; runs: Array<{ index: number; from: number }> }> = {
      postings: { header: 0, runs: [] },
      results: { header: 0, runs: [] },
    };
    for (const kind of KINDS) {
      const tab = tabTitle(sheet, kind);
      slots[kind].header = ranges.push(a1(tab, '1:1')) - 1;
      for (const [from, to] of columnRuns(columnsToRead(kind, storedColumns(sheet, kind), full))) {
        const index = ranges.push(a1(tab, `${columnLetter(from)}2:${columnLetter(to)}`)) - 1;
        slots[kind].runs.push({ index, from });
      }
    }
    let values: string[][][];
    try {
      values = await deps.gateway.batchGet(sheet.spreadsheetId, ranges);
    } catch (error) {
      if (
        attempt === 0 &&
        error instanceof SheetsApiError &&
        error.status === 400 &&
        /parse range/i.test(error.message)
      ) {
        sheet = await refreshTabs(deps, sheet);
        continue;
      }
      throw error;
    }
    const headers = {
      postings: (values[slots.postings.header]?.[0] ?? []).map(String),
      results: (values[slots.results.header]?.[0] ?? []).map(String),
    };
    for (const kind of KINDS) {
      const missing = missingColumns(kind, headers[kind]);
      if (missing.length > 0) {
        throw new DjsError(
          `The "${tabTitle(sheet, kind)}" tab of "${sheet.title}" has no ${missing.map((m) => `"${m}"`).join(', ')} column in its first row, so djs cannot tell which rows it holds. ` +
            `Restore the header, or run \`djs sheets link ${sheet.spreadsheetId} --add-missing\` to add the missing columns. Nothing was changed.`,
        );
      }
    }
    // Columns moved or renamed since we last looked: adopt the header as it is now and read again.
    const stale = KINDS.filter((kind) => !sameLayout(kind, storedColumns(sheet, kind), headers[kind]));
    if (stale.length > 0) {
      if (attempt >= 2)
        throw new DjsError(
          `The header rows of "${sheet.title}" keep changing while djs reads them; try again in a moment.`,
        );
      const fresh = {
        ...(stale.includes('postings') ? { postingsColumns: headers.postings } : {}),
        ...(stale.includes('results') ? { resultsColumns: headers.results } : {}),
      };
      deps.registry.updateTabs(sheet, fresh);
      sheet = { ...sheet, ...fresh };
      continue;
    }
    const tabRead = (kind: TabKind): TabRead => {
      const header = headers[kind];
      const names = new Map([...columnMap(header)].map(([name, index]) => [index, name]));
      const rows = new Map<number, SheetRow>();
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

function tabTitle(sheet: LinkedSpreadsheet, kind: TabKind): string {
  return kind === 'postings' ? sheet.postingsTab : sheet.resultsTab;
}

function storedColumns(sheet: LinkedSpreadsheet, kind: TabKind): string[] {
  return kind === 'postings' ? sheet.postingsColumns : sheet.resultsColumns;
}

function columnsToRead(kind: TabKind, header: string[], full: boolean): number[] {
  const map = columnMap(
    header.length > 0 ? header : kind === 'postings' ? [...POSTINGS_COLUMNS] : [...RESULTS_COLUMNS],
  );
  const names =
    kind === 'postings'
      ? ['job_id', 'status', 'notes', ...(full ? ['link'] : [])]
      : ['link', 'query', 'location'];
  return names.map((name) => map.get(name)).filter((index): index is number => index !== undefined);
}

function sameLayout(kind: TabKind, stored: string[], fresh: string[]): boolean {
  if (stored.length === 0) return false;
  const a = columnMap(stored);
  const b = columnMap(fresh);
  const names = kind === 'postings' ? POSTINGS_COLUMNS : RESULTS_COLUMNS;
  return names.every((name) => a.get(name) === b.get(name));
}

/** After a "cannot parse range": find the tabs by their ids (a person renamed them). */
async function refreshTabs(deps: ReadDeps, sheet: LinkedSpreadsheet): Promise<LinkedSpreadsheet> {
  const info = await deps.gateway.get(sheet.spreadsheetId);
  const postings = info.tabs.find((tab) => tab.sheetId === sheet.postingsTabId);
  const results = info.tabs.find((tab) => tab.sheetId === sheet.resultsTabId);
  const gone = [!postings ? sheet.postingsTab : null, !results ? sheet.resultsTab : null].filter(Boolean);
  if (gone.length > 0) {
    throw new DjsError(
      `The tab${gone.length > 1 ? 's' : ''} ${gone.map((t) => `"${t}"`).join(' and ')} of "${info.title || sheet.title}" ${gone.length > 1 ? 'are' : 'is'} gone. ` +
        `Run \`djs sheets link ${sheet.spreadsheetId} --add-missing\` to add ${gone.length > 1 ? 'them' : 'it'} back (the next sync refills ${gone.length > 1 ? 'them' : 'it'}). Nothing was changed.`,
    );
  }
  deps.registry.updateTabs(sheet, {
    postingsTab: postings!.title,
    resultsTab: results!.title,
    title: info.title || undefined,
  });
  deps.log?.(`Tabs are now "${postings!.title}" and "${results!.title}".`);
  return {
    ...sheet,
    postingsTab: postings!.title,
    resultsTab: results!.title,
    title: info.title || sheet.title,
  };
}
