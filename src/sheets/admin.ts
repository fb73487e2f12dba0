import { nodeCrypto } from '../core/node-crypto.js';
import type { sheets_v4 } from '@googleapis/sheets';
import { DjsError, ExitCode } from '../core/errors.js';
import {
  SheetsApiError,
  type SheetsGateway,
  type SpreadsheetInfo,
  type TabInfo,
} from '../google/sheets-gateway.js';
import {
  a1,
  columnLetter,
  columnMap,
  formatRequests,
  statusDropdown,
  missingColumns,
  TAB_COLUMNS,
  TAB_TITLES,
  type TabKind,
} from './layout.js';
import type { LinkedSpreadsheet, SpreadsheetRegistry } from './registry.js';
import { sheetsError } from './errors.js';

const KINDS: TabKind[] = ['results', 'postings'];

/** `sheets create`: a new spreadsheet with both tabs and their headers, recorded as the active one, then formatted. */
export async function createSpreadsheet(
  gateway: SheetsGateway,
  registry: SpreadsheetRegistry,
  title: string,
): Promise<{ sheet: LinkedSpreadsheet; formatWarning: string | null }> {
  let info: SpreadsheetInfo;
  try {
    info = await gateway.create(
      title,
      KINDS.map((kind) => ({ title: TAB_TITLES[kind], header: [...TAB_COLUMNS[kind]], frozenRowCount: 1 })),
    );
  } catch (error) {
    throw error instanceof SheetsApiError ? createError(error, title) : error;
  }
  const tab = (kind: TabKind): TabInfo => {
    const found = info.tabs.find((t) => t.title === TAB_TITLES[kind]);
    if (!found)
      throw new DjsError(
        `Google created the spreadsheet ${info.spreadsheetId} without its "${TAB_TITLES[kind]}" tab; run \`djs sheets link ${info.spreadsheetId} --add-missing\`.`,
      );
    return found;
  };
  const results = tab('results');
  const postings = tab('postings');
  // Recorded before formatting: a spreadsheet that exists at Google is never forgotten here.
  const sheet = registry.save({
    spreadsheetId: info.spreadsheetId,
    title: info.title || title,
    postingsTabId: postings.sheetId,
    postingsTab: postings.title,
    resultsTabId: results.sheetId,
    resultsTab: results.title,
    postingsColumns: [...TAB_COLUMNS.postings],
    resultsColumns: [...TAB_COLUMNS.results],
    needsFull: false,
  });
  let formatWarning: string | null = null;
  try {
    await gateway.batchUpdate(info.spreadsheetId, [
      ...formatRequests('results', results.sheetId, TAB_COLUMNS.results),
      ...formatRequests('postings', postings.sheetId, TAB_COLUMNS.postings),
    ]);
  } catch (error) {
    if (!(error instanceof SheetsApiError)) throw error;
    formatWarning = `the spreadsheet was created, but formatting it failed (${error.message}); it works all the same.`;
  }
  return { sheet, formatWarning };
}

function createError(error: SheetsApiError, title: string): DjsError {
  if (error.status === 401) {
    return new DjsError(
      'Google no longer accepts your link (401). Run `djs login --google` to connect again.',
      ExitCode.auth,
      {
        cause: error,
      },
    );
  }
  if (error.status === 403) {
    return new DjsError(
      'Google refused to create a spreadsheet (403): the link lacks the Drive permission. Run `djs login --google` again and allow access to the files djs creates.',
      undefined,
      { cause: error },
    );
  }
  return sheetsError(error, 'create', title, null);
}

/** What `sheets link` found in an existing spreadsheet. */
export interface LinkInspection {
  info: SpreadsheetInfo;
  tabs: Record<TabKind, TabInfo | undefined>;
  headers: Record<TabKind, string[]>;
  /** Tabs to add. */
  missingTabs: TabKind[];
  /** Columns djs writes that an existing tab lacks (their header cells would be added after the last column). */
  missingColumns: Record<TabKind, string[]>;
  /**
   * Whether the sheet cannot be used as it is: a tab or a column the sync needs (job_id, status …) is
   * missing. Otherwise only columns djs fills are (a sheet made before they existed): it works without them.
   */
  needsRepair: boolean;
}

export async function inspectSpreadsheet(
  gateway: SheetsGateway,
  spreadsheetId: string,
): Promise<LinkInspection> {
  let info: SpreadsheetInfo;
  try {
    info = await gateway.get(spreadsheetId);
  } catch (error) {
    if (error instanceof SheetsApiError && (error.status === 404 || error.status === 403)) {
      throw new DjsError(
        `djs cannot open the spreadsheet ${spreadsheetId} (${error.status === 404 ? 'not found' : 'no permission'}). ` +
          "djs may use only spreadsheets it created or that you opened with it (Google's drive.file permission): check the id, or make one with `djs sheets create`.",
        undefined,
        { cause: error },
      );
    }
    throw error instanceof SheetsApiError ? sheetsError(error, 'link', spreadsheetId, spreadsheetId) : error;
  }
  const find = (kind: TabKind): TabInfo | undefined =>
    info.tabs.find((t) => t.title === TAB_TITLES[kind]) ??
    info.tabs.find((t) => t.title.trim().toLowerCase() === TAB_TITLES[kind].toLowerCase());
  const tabs = { results: find('results'), postings: find('postings') };
  const present = KINDS.filter((kind) => tabs[kind]);
  const headers: Record<TabKind, string[]> = { results: [], postings: [] };
  if (present.length > 0) {
    const values = await gateway.batchGet(
      spreadsheetId,
      present.map((kind) => a1(tabs[kind]!.title, '1:1')),
    );
    present.forEach((kind, i) => (headers[kind] = (values[i]?.[0] ?? []).map(String)));
  }
  const missing: Record<TabKind, string[]> = { results: [], postings: [] };
  for (const kind of present) {
    const have = columnMap(headers[kind]);
    missing[kind] = TAB_COLUMNS[kind].filter((name) => !have.has(name));
  }
  const missingTabs = KINDS.filter((kind) => !tabs[kind]);
  const needsRepair =
    missingTabs.length > 0 || present.some((kind) => missingColumns(kind, headers[kind]).length > 0);
  return { info, tabs, headers, missingTabs, missingColumns: missing, needsRepair };
}

/** The inspection with nothing but what the sheet needs to work: the columns djs merely fills are left out. */
export function onlyRepairs(inspection: LinkInspection): LinkInspection {
  return inspection.needsRepair
    ? inspection
    : { ...inspection, missingColumns: { results: [], postings: [] } };
}

export function describeMissing(inspection: LinkInspection): string | null {
  const parts: string[] = [];
  for (const kind of inspection.missingTabs) parts.push(`the tab "${TAB_TITLES[kind]}"`);
  for (const kind of KINDS) {
    const columns = inspection.missingColumns[kind];
    if (columns.length > 0)
      parts.push(
        `the column${columns.length > 1 ? 's' : ''} ${columns.join(', ')} in "${inspection.tabs[kind]!.title}"`,
      );
  }
  return parts.length > 0 ? parts.join(' and ') : null;
}

/** Adds the missing tabs (formatted, with headers) and header cells, then records the spreadsheet as active. */
export async function completeAndLink(
  gateway: SheetsGateway,
  registry: SpreadsheetRegistry,
  inspection: LinkInspection,
): Promise<LinkedSpreadsheet> {
  const { info } = inspection;
  const tabs = { ...inspection.tabs };
  const headers = { ...inspection.headers };
  const requests: sheets_v4.Schema$Request[] = [];
  const headerWrites: Array<{ range: string; values: string[][] }> = [];
  const taken = new Set(info.tabs.map((t) => t.sheetId));
  for (const kind of inspection.missingTabs) {
    let sheetId = nodeCrypto().randomInt(1, 2_000_000_000);
    while (taken.has(sheetId)) sheetId = nodeCrypto().randomInt(1, 2_000_000_000);
    taken.add(sheetId);
    const columns = [...TAB_COLUMNS[kind]];
    requests.push({
      addSheet: {
        properties: {
          sheetId,
          title: TAB_TITLES[kind],
          gridProperties: { frozenRowCount: 1, columnCount: 26 },
        },
      },
    });
    requests.push(...formatRequests(kind, sheetId, columns));
    tabs[kind] = {
      sheetId,
      title: TAB_TITLES[kind],
      index: info.tabs.length,
      rowCount: 1000,
      columnCount: 26,
    };
    headers[kind] = columns;
    headerWrites.push({
      range: a1(TAB_TITLES[kind], `A1:${columnLetter(columns.length - 1)}1`),
      values: [columns],
    });
  }
  for (const kind of KINDS) {
    const add = inspection.missingColumns[kind];
    if (add.length === 0) continue;
    const tab = tabs[kind]!;
    const start = headers[kind].length;
    const needed = start + add.length - tab.columnCount;
    if (needed > 0)
      requests.push({ appendDimension: { sheetId: tab.sheetId, dimension: 'COLUMNS', length: needed } });
    headerWrites.push({
      range: a1(tab.title, `${columnLetter(start)}1:${columnLetter(start + add.length - 1)}1`),
      values: [add],
    });
    if (kind === 'postings' && add.includes('status')) {
      requests.push(statusDropdown(tab.sheetId, start + add.indexOf('status')));
    }
    headers[kind] = [...headers[kind], ...add];
  }
  try {
    if (requests.length > 0) await gateway.batchUpdate(info.spreadsheetId, requests);
    if (headerWrites.length > 0) await gateway.writeValues(info.spreadsheetId, headerWrites);
  } catch (error) {
    throw error instanceof SheetsApiError
      ? sheetsError(error, 'link', info.title, info.spreadsheetId)
      : error;
  }
  // needsFull: the next sync compares every row, so it also re-fills tabs djs just (re)added.
  return registry.save({
    spreadsheetId: info.spreadsheetId,
    title: info.title || info.spreadsheetId,
    postingsTabId: tabs.postings!.sheetId,
    postingsTab: tabs.postings!.title,
    resultsTabId: tabs.results!.sheetId,
    resultsTab: tabs.results!.title,
    postingsColumns: headers.postings,
    resultsColumns: headers.results,
    // The sheet may already hold rows (the prototype's, or an earlier djs's): compare them all next time.
    needsFull: true,
  });
}
