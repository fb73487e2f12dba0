import type { Command } from 'commander';
import type { ActionRunner } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { runSheetsSync, sheetsGateway, sheetsSession, shown } from '../cli/sheets-session.js';
import { withSpinner } from '../cli/spinner.js';
import { text } from '../cli/validate.js';
import { DjsError, ExitCode } from '../core/errors.js';

interface CreateOptions {
  title: string;
}
interface LinkOptions {
  addMissing?: boolean;
}
interface SyncOptions {
  full?: boolean;
}

export function register(program: Command, run: ActionRunner): void {
  const sheets = program
    .command('sheets')
    .description('your Google Sheets mirror: create | link | list | use | sync | open | unlink')
    .addHelpText(
      'after',
      `
Examples:
  $ djs sheets create                                  # a new "Dream Job Search" spreadsheet, made active
  $ djs sheets link https://docs.google.com/spreadsheets/d/<id>/edit --add-missing
  $ djs sheets sync --json                             # append new rows, exchange status edits
  $ djs sheets list --json

Needs a Google link first: \`djs login --google\`.`,
    );

  sheets
    .command('create')
    .description('make a new spreadsheet with the "Job Search Results" and "Job Postings" tabs and use it')
    .option('--title <title>', 'the spreadsheet title', text('title', 100), 'Dream Job Search')
    .action(run<CreateOptions>(async (ctx, options) => create(ctx, options)));

  sheets
    .command('link')
    .description('use an existing spreadsheet (a Sheets URL or its id); checks its tabs')
    .argument('<url-or-id>', 'https://docs.google.com/spreadsheets/d/<id>/… or the bare id')
    .option(
      '--add-missing',
      'add missing tabs or columns without asking (needed off a terminal; also adds the newer columns, e.g. source and salary, to a sheet linked before)',
    )
    .action(run<LinkOptions>(async (ctx, options, args) => link(ctx, args[0]!, options)));

  sheets
    .command('list')
    .description('your linked spreadsheets (the active one is marked)')
    .action(run(async (ctx) => list(ctx)));

  sheets
    .command('use')
    .description('make a linked spreadsheet the active one (the one sync and update-db write to)')
    .argument('<id>', 'spreadsheet id or URL, as `djs sheets list` shows it')
    .action(run(async (ctx, _options, args) => use(ctx, args[0]!)));

  sheets
    .command('sync')
    .description('append new postings and search results, pull status edits from the sheet, push local ones')
    .option('--full', 'compare every row of the sheet (re-adds rows deleted there)')
    .addHelpText(
      'after',
      `
Rows are appended exactly once, even after a crash. Status and notes edited in the sheet come back to
djs; \`djs jobs set-status\` changes go to the sheet. When both sides changed, the newer change wins: Sheets
does not say when a cell was edited, so a local change made since the previous sync counts as the newer
one, and an older local change gives way to the sheet's edit.`,
    )
    .action(run<SyncOptions>(async (ctx, options) => sync(ctx, options)));

  sheets
    .command('open')
    .description("print the active spreadsheet's URL and open it in the browser")
    .argument('[id]', 'another linked spreadsheet')
    .action(run(async (ctx, _options, args) => open(ctx, args[0])));

  sheets
    .command('unlink')
    .description('stop using a spreadsheet (it stays in your Google Drive)')
    .argument('<id>', 'spreadsheet id or URL')
    .action(run(async (ctx, _options, args) => unlink(ctx, args[0]!)));
}

async function create(ctx: Context, options: CreateOptions): Promise<void> {
  const s = await sheetsSession(ctx);
  const api = await sheetsGateway(ctx, s);
  const { createSpreadsheet } = await import('../sheets/admin.js');
  const { sheet, formatWarning } = await withSpinner(ctx, 'Creating the spreadsheet…', () =>
    createSpreadsheet(api, s.registry, options.title),
  );
  if (formatWarning) ctx.out.warn(formatWarning);
  if (ctx.out.json)
    return ctx.out.data({ id: sheet.spreadsheetId, title: sheet.title, url: sheet.url, active: true });
  ctx.out.success(`Created "${shown(sheet.title)}" and made it your active spreadsheet:`);
  ctx.out.line(`  ${sheet.url}`);
  ctx.out.line('Next: `djs sheets sync` copies your postings into it (update-db does so after each run).');
}

async function link(ctx: Context, ref: string, options: LinkOptions): Promise<void> {
  const { parseSpreadsheetRef } = await import('../sheets/registry.js');
  const spreadsheetId = parseSpreadsheetRef(ref); // bad input → exit 2 before anything else
  const s = await sheetsSession(ctx);
  const api = await sheetsGateway(ctx, s);
  const { inspectSpreadsheet, describeMissing, completeAndLink, onlyRepairs } =
    await import('../sheets/admin.js');
  let inspection = await withSpinner(ctx, 'Reading the spreadsheet…', () =>
    inspectSpreadsheet(api, spreadsheetId),
  );
  const missing = describeMissing(inspection);
  const title = shown(inspection.info.title || spreadsheetId);
  const them = (text: string): string => (/ and |columns/.test(text) ? 'them' : 'it');
  if (missing && !options.addMissing) {
    // A sheet that lacks only columns djs fills (made before they existed) works as it is: adding them is an offer.
    if (!ctx.interactive) {
      if (inspection.needsRepair)
        throw new DjsError(
          `"${title}" lacks ${missing}. Run again with --add-missing to add ${them(missing)} (nothing was changed).`,
          ExitCode.usage,
        );
      inspection = onlyRepairs(inspection);
    } else {
      const { askConfirm } = await import('../cli/prompts.js');
      if (!(await askConfirm(ctx, `"${title}" lacks ${missing}. Add ${them(missing)} now?`))) {
        if (inspection.needsRepair)
          throw new DjsError('Nothing was changed; the spreadsheet is not linked.', ExitCode.usage);
        inspection = onlyRepairs(inspection);
      }
    }
  }
  const added = describeMissing(inspection);
  const sheet = await withSpinner(ctx, 'Linking the spreadsheet…', () =>
    completeAndLink(api, s.registry, inspection),
  );
  if (ctx.out.json)
    return ctx.out.data({
      id: sheet.spreadsheetId,
      title: sheet.title,
      url: sheet.url,
      active: true,
      added,
      notAdded: added === missing ? null : missing,
    });
  if (added) ctx.out.info(`Added ${added}.`);
  ctx.out.success(
    `Linked "${shown(sheet.title)}"; it is now your active spreadsheet. \`djs sheets sync\` fills it.`,
  );
  if (missing && added !== missing)
    ctx.out.info(
      `It lacks ${missing}, which djs fills when present: \`djs sheets link ${sheet.spreadsheetId} --add-missing\` adds ${them(missing)}.`,
    );
}

async function list(ctx: Context): Promise<void> {
  const s = await sheetsSession(ctx);
  const sheets = s.registry.list();
  if (ctx.out.json) {
    return ctx.out.data(
      sheets.map((sheet) => ({
        id: sheet.spreadsheetId,
        title: sheet.title,
        url: sheet.url,
        active: sheet.active,
      })),
    );
  }
  if (sheets.length === 0) {
    ctx.out.line(
      'No spreadsheets yet: `djs sheets create` makes one, `djs sheets link <url>` adds an existing one.',
    );
    return;
  }
  for (const sheet of sheets) {
    const mark = sheet.active ? ctx.out.style.green('*') : ' ';
    const synced = sheet.lastSyncedAt ? `synced ${sheet.lastSyncedAt}` : 'never synced';
    ctx.out.line(`${mark} ${ctx.out.style.bold(shown(sheet.title))}  ${sheet.spreadsheetId}`);
    ctx.out.line(`    ${sheet.url}  ${ctx.out.style.dim(`(${synced})`)}`);
  }
}

async function use(ctx: Context, ref: string): Promise<void> {
  const { parseSpreadsheetRef } = await import('../sheets/registry.js');
  parseSpreadsheetRef(ref);
  const s = await sheetsSession(ctx);
  const sheet = s.registry.require(ref);
  s.registry.use(sheet);
  if (ctx.out.json)
    return ctx.out.data({ id: sheet.spreadsheetId, title: sheet.title, url: sheet.url, active: true });
  ctx.out.success(`"${shown(sheet.title)}" is now your active spreadsheet.`);
}

async function unlink(ctx: Context, ref: string): Promise<void> {
  const { parseSpreadsheetRef } = await import('../sheets/registry.js');
  parseSpreadsheetRef(ref);
  const s = await sheetsSession(ctx);
  const sheet = s.registry.require(ref);
  s.registry.unlink(sheet);
  if (ctx.out.json) return ctx.out.data({ id: sheet.spreadsheetId, title: sheet.title, unlinked: true });
  ctx.out.success(`Unlinked "${shown(sheet.title)}"; it stays in your Google Drive.`);
  if (sheet.active && s.registry.list().length > 0)
    ctx.out.info('No spreadsheet is active now: `djs sheets use <id>` picks one.');
}

async function open(ctx: Context, ref: string | undefined): Promise<void> {
  if (ref !== undefined) {
    const { parseSpreadsheetRef } = await import('../sheets/registry.js');
    parseSpreadsheetRef(ref);
  }
  const s = await sheetsSession(ctx);
  const sheet = ref === undefined ? s.registry.requireActive() : s.registry.require(ref);
  const { openUrl } = await import('../cli/open-url.js');
  const opened = openUrl(sheet.url, ctx.env);
  if (ctx.out.json) return ctx.out.data({ id: sheet.spreadsheetId, url: sheet.url, opened });
  ctx.out.line(sheet.url);
  if (!opened) ctx.out.info('No browser could be opened here; open the URL above yourself.');
}

async function sync(ctx: Context, options: SyncOptions): Promise<void> {
  const s = await sheetsSession(ctx);
  const sheet = s.registry.requireActive();
  const result = await withSpinner(ctx, `Syncing "${shown(sheet.title)}"…`, () =>
    runSheetsSync(ctx, s, sheet, Boolean(options.full)),
  );
  if (ctx.out.json) {
    return ctx.out.data({ ...result, spreadsheet: { id: sheet.spreadsheetId, url: sheet.url } });
  }
  const { appended } = result;
  ctx.out.success(
    `Synced "${shown(sheet.title)}": ${appended.postings} posting${appended.postings === 1 ? '' : 's'} and ${appended.results} search result${appended.results === 1 ? '' : 's'} appended, ` +
      `${result.statusPulled} status change${result.statusPulled === 1 ? '' : 's'} pulled from the sheet, ${result.statusPushed} pushed (${result.apiCalls} API call${result.apiCalls === 1 ? '' : 's'}).`,
  );
  if (result.duplicatesInSheet > 0) {
    ctx.out.warn(
      `${result.duplicatesInSheet} posting(s) or result(s) appear on more than one row of the sheet (added outside djs); they were left as they are.`,
    );
  }
  ctx.out.line(`  ${sheet.url}`);
}
