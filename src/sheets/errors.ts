import { DjsError, ExitCode } from '../core/errors.js';
import type { SheetsApiError } from '../google/sheets-gateway.js';

/** What djs was doing with the spreadsheet when Google failed: the message names it and how to retry it. */
export type SheetsAction = 'create' | 'link' | 'sync';

const ACTIONS: Record<
  SheetsAction,
  { doing: string; done: string; retry: (spreadsheetId: string | null) => string }
> = {
  create: {
    doing: 'creating',
    done: 'No spreadsheet was recorded locally',
    retry: () => '`djs sheets create`',
  },
  link: {
    doing: 'linking',
    done: 'The spreadsheet is not linked yet',
    retry: (spreadsheetId) => `\`djs sheets link ${spreadsheetId ?? '<id>'}\``,
  },
  sync: {
    doing: 'syncing',
    done: 'What was synced so far is recorded',
    retry: () => '`djs sheets sync`',
  },
};

/**
 * A SheetsApiError as a DjsError naming the spreadsheet and the action (exit 1; 401 → exit 4). The id is null
 * while creating: Google has not answered with one.
 */
export function sheetsError(
  error: SheetsApiError,
  action: SheetsAction,
  title: string,
  spreadsheetId: string | null,
): DjsError {
  const name = spreadsheetId === null ? `"${title}"` : `"${title}" (${spreadsheetId})`;
  const { doing, done, retry } = ACTIONS[action];
  const cause = { cause: error };
  switch (error.status) {
    case 404:
      return new DjsError(
        `The spreadsheet ${name} was not found at Google: it was deleted, or djs can no longer open it. Nothing was changed locally. ` +
          `Make a new one with \`djs sheets create\`${spreadsheetId === null ? '' : `, or stop syncing it with \`djs sheets unlink ${spreadsheetId}\``}.`,
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
        `Google's Sheets quota stayed exhausted (429 RESOURCE_EXHAUSTED) through every retry while ${doing} ${name}. ` +
          `${done}; run ${retry(spreadsheetId)} again in a minute or two.`,
        undefined,
        cause,
      );
    case 0:
      return new DjsError(
        `Could not reach Google Sheets (${error.reason}) while ${doing} ${name}. ${done}; check the network and run ${retry(spreadsheetId)} again.`,
        undefined,
        cause,
      );
    default:
      if (error.status >= 500) {
        return new DjsError(
          `Google Sheets kept failing (${error.status} ${error.reason}) while ${doing} ${name}. ${done}; run ${retry(spreadsheetId)} again later.`,
          undefined,
          cause,
        );
      }
      return new DjsError(`Google Sheets refused a request for ${name}: ${error.message}`, undefined, cause);
  }
}
