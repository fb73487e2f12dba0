import { AuthError, DjsError, ExitCode } from '../core/errors.js';
import { stripControl } from '../core/sanitize.js';
import type { Db } from '../db/database.js';
import type { GoogleLinkService } from '../google/link.js';
import type { SheetsGateway } from '../google/sheets-gateway.js';
import type { LinkedSpreadsheet, SpreadsheetRegistry } from '../sheets/registry.js';
import type { SyncResult } from '../sheets/sync/run.js';
import type { Context } from './context.js';
import { googleLinkService, requireLogin } from './factory.js';

/**
 * The Sheets collaborators a command needs, built from its context: `djs sheets` and `update-db` (which
 * syncs after collecting) share them here, so neither command imports the other.
 */

/** A spreadsheet title as djs prints it: no control characters, at most 120 characters. */
export const shown = (title: string): string => stripControl(title).slice(0, 120);

export interface SheetsSession {
  userId: number;
  db: Db;
  registry: SpreadsheetRegistry;
  google: GoogleLinkService;
}

/** Logged in (exit 4 otherwise) and linked to Google (exit 4 saying `djs login --google` otherwise). */
export async function sheetsSession(ctx: Context): Promise<SheetsSession> {
  const { user } = await requireLogin(ctx);
  const google = await googleLinkService(ctx);
  if (!google.isLinked(user.id)) {
    const { NOT_LINKED } = await import('../google/link.js');
    throw new AuthError(NOT_LINKED);
  }
  const db = await ctx.db();
  const { SpreadsheetRegistry } = await import('../sheets/registry.js');
  return { userId: user.id, db, registry: new SpreadsheetRegistry(db, user.id, ctx.clock), google };
}

/** The Sheets client for the user: @googleapis/sheets is loaded here and only here. */
export async function sheetsGateway(
  ctx: Context,
  s: SheetsSession,
): Promise<SheetsGateway & { backoffDelay(attempt: number): number }> {
  const [{ createSheetsGateway, retryPolicyFromEnv }, { googleEndpoints }] = await Promise.all([
    import('../google/sheets-gateway.js'),
    import('../google/endpoints.js'),
  ]);
  const rootUrl = googleEndpoints(ctx.env).apiUrl;
  const client = await s.google.authorizedClient(s.userId);
  return (await createSheetsGateway({
    client,
    rootUrl,
    policy: retryPolicyFromEnv(ctx.env),
    signal: ctx.abort.signal,
    onEvent: (message) => ctx.out.verbose(message),
  })) as SheetsGateway & { backoffDelay(attempt: number): number };
}

export async function runSheetsSync(
  ctx: Context,
  s: SheetsSession,
  sheet: LinkedSpreadsheet,
  full: boolean,
): Promise<SyncResult> {
  const api = await sheetsGateway(ctx, s);
  const { SheetsSync } = await import('../sheets/sync/run.js');
  const syncer = new SheetsSync({
    db: s.db,
    userId: s.userId,
    gateway: api,
    registry: s.registry,
    clock: ctx.clock,
    signal: ctx.abort.signal,
    log: (message) => ctx.out.verbose(message),
    warn: (message) => ctx.out.warn(message),
  });
  return syncer.run(sheet, { full });
}

/**
 * For `update-db` (SPEC §7): after collecting, sync the active spreadsheet (none active: nothing to do). Sets
 * `summary.sheetRowsAppended` (and the run's record). A failure does not undo the collection: it is printed as
 * a warning and returned as an exit-3 error ("finished, but part of the work failed") for update-db to throw
 * after its summary. Another sync already running is only a warning: it, or the next run, syncs the rows.
 */
export async function syncAfterUpdate(
  ctx: Context,
  summary: { runId: number; sheetRowsAppended: number },
): Promise<DjsError | null> {
  const { user } = await requireLogin(ctx);
  const db = await ctx.db();
  const { SpreadsheetRegistry } = await import('../sheets/registry.js');
  const registry = new SpreadsheetRegistry(db, user.id, ctx.clock);
  const sheet = registry.active();
  if (!sheet) return null;
  try {
    const s = await sheetsSession(ctx);
    const result = await runSheetsSync(ctx, s, sheet, false);
    summary.sheetRowsAppended = result.appended.postings + result.appended.results;
    const { JobStore } = await import('../jobs/store.js');
    new JobStore(db, user.id).recordSheetRowsAppended(summary.runId, summary.sheetRowsAppended);
    return null;
  } catch (error) {
    if (ctx.abort.signal.aborted) throw error;
    if (error instanceof DjsError && error.exitCode === ExitCode.locked) {
      ctx.out.warn(`the spreadsheet was not synced: ${error.message}`);
      return null;
    }
    ctx.out.warn(`syncing "${shown(sheet.title)}" failed: ${(error as Error)?.message ?? String(error)}`);
    if (!(error instanceof DjsError)) ctx.out.verbose(String((error as Error)?.stack ?? error));
    return new DjsError(
      'The postings were collected and saved, but the spreadsheet sync failed (see the warning above); `djs sheets sync` retries it.',
      ExitCode.partial,
      { cause: error },
    );
  }
}
