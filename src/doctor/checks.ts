import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from '../cli/context.js';

export type CheckState = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  check: string;
  state: CheckState;
  detail: string;
  /** What to do about a warning or failure. */
  fix?: string;
}

type Check = (ctx: Context) => Promise<Omit<CheckResult, 'check'>>;

const MIN_NODE = [20, 17] as const;
const NETWORK_TIMEOUT_MS = 5000;

const ok = (detail: string) => ({ state: 'ok' as const, detail });
const fail = (detail: string, fix: string) => ({ state: 'fail' as const, detail, fix });
const warn = (detail: string, fix: string) => ({ state: 'warn' as const, detail, fix });
const message = (error: unknown): string => (error as Error)?.message ?? String(error);

/** Every check djs doctor runs, in order. Each is independent: one failing never stops the others. */
export const checks: Array<[string, Check]> = [
  [
    'node',
    async () => {
      const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
      const good = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
      return good
        ? ok(`Node.js ${process.versions.node}`)
        : fail(
            `Node.js ${process.versions.node} is too old`,
            `Install Node.js ${MIN_NODE.join('.')} or newer.`,
          );
    },
  ],
  [
    'private files',
    async (ctx) => {
      const { home, logs } = ctx.paths;
      if (!existsSync(home)) return ok(`no data folder yet (${home})`);
      const open = [home, ...entries(home), ...entries(logs)].filter(
        (path) => (lstatSync(path).mode & 0o077) !== 0,
      );
      if (open.length === 0) return ok(`${home} and its files are private to you`);
      const folders = open.filter((path) => lstatSync(path).isDirectory());
      const files = open.filter((path) => !folders.includes(path));
      const commands = [
        folders.length > 0 ? `chmod 700 ${folders.map(shellQuote).join(' ')}` : null,
        files.length > 0 ? `chmod 600 ${files.map(shellQuote).join(' ')}` : null,
      ].filter((command) => command !== null);
      const listed = open.map((path) => `${path} (${(lstatSync(path).mode & 0o777).toString(8)})`);
      return warn(
        `other users of this computer can get at ${listed.join(', ')}`,
        `Run \`${commands.join(' && ')}\`. (djs tightens its database, session and secrets file itself when it next uses them.)`,
      );
    },
  ],
  [
    'database',
    async (ctx) => {
      if (!existsSync(ctx.paths.database)) {
        return warn(`no database yet at ${ctx.paths.database}`, 'Run `djs register` to create one.');
      }
      const { currentSchemaVersion, loadMigrations } = await import('../db/database.js');
      const moveAside = `Move ${ctx.paths.database} aside (keep it for recovery) and run \`djs register\` again.`;
      let db;
      let integrity: unknown;
      try {
        db = await ctx.db();
        integrity = db.pragma('integrity_check', { simple: true });
      } catch (error) {
        // Damage in the schema pages already fails the open; elsewhere only the integrity check sees it.
        return fail(message(error).split(/(?<=\.)\s/)[0]!, moveAside);
      }
      if (integrity !== 'ok')
        return fail(`integrity check failed: ${String(integrity).slice(0, 120)}`, moveAside);
      const latest = loadMigrations().at(-1)?.version ?? 0;
      return ok(`${ctx.paths.database}: intact, schema ${currentSchemaVersion(db)} of ${latest}`);
    },
  ],
  [
    'secret store',
    async (ctx) => {
      const store = await ctx.secrets();
      await store.list('');
      return ok(
        store.kind === 'file'
          ? `file ${ctx.paths.secretsFile} (not the OS keychain)`
          : 'OS keychain reachable',
      );
    },
  ],
  [
    'google client',
    async (ctx) => {
      const { resolveClientConfig } = await import('../google/client-config.js');
      try {
        return ok(`configured from ${resolveClientConfig(ctx.env, ctx.paths.config).source}`);
      } catch (error) {
        return warn(
          message(error).split('\n')[0]!,
          'Create a "Desktop app" OAuth client in the Google Cloud console, then run `djs login --google --client-secret-file FILE` (steps: `djs login --google`).',
        );
      }
    },
  ],
  [
    'session',
    async (ctx) => {
      if (!existsSync(ctx.paths.database))
        return warn('nobody is logged in', 'Run `djs register` or `djs login`.');
      const { requireLogin } = await import('../cli/factory.js');
      const { user, session } = await requireLogin(ctx);
      return ok(`logged in as ${user.email} until ${session.expiresAt}`);
    },
  ],
  [
    'google token',
    async (ctx) => {
      if (!existsSync(ctx.paths.database))
        return warn('no account yet', 'Run `djs register`, then `djs login --google`.');
      const { requireLogin, googleLinkService } = await import('../cli/factory.js');
      const { user } = await requireLogin(ctx);
      const google = await googleLinkService(ctx);
      if (!google.isLinked(user.id))
        return warn('Google is not linked', 'Run `djs login --google` to use Google Sheets.');
      await google.accessToken(user.id);
      return ok('the Google link works (an access token was obtained)');
    },
  ],
  [
    'linkedin',
    async (ctx) =>
      reachable(
        ctx.env.DJS_LINKEDIN_URL?.trim() || 'https://www.linkedin.com',
        'Check your network, or HTTPS_PROXY.',
        ctx.env.HTTPS_PROXY?.trim() || ctx.env.https_proxy?.trim() || undefined,
      ),
  ],
  [
    'google',
    async (ctx) => {
      const { googleEndpoints } = await import('../google/endpoints.js');
      return reachable(googleEndpoints(ctx.env).tokenUrl, 'Check your network.');
    },
  ],
  [
    'schedule',
    async (ctx) => {
      if (!existsSync(ctx.paths.database)) return warn('no database yet', 'Run `djs register` first.');
      const schedule = await import('../schedule/crontab.js');
      const { databaseId } = await import('../db/database.js');
      const line = schedule.findLine(schedule.systemCrontab(ctx.env).read(), databaseId(await ctx.db()));
      if (!line)
        return warn(
          'no crontab entry for this DJS_HOME',
          'Run `djs schedule install` to collect every morning.',
        );
      const [next] = (await schedule.parseCron(line.split(' ').slice(0, 5).join(' '))).nextRuns(1);
      return ok(`crontab entry present; next run ${next?.toISOString() ?? 'never'}`);
    },
  ],
];

/** The paths directly inside a folder; none when it does not exist. */
function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [];
}

const shellQuote = (path: string): string =>
  /^[\w./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;

/** Any HTTP answer at all means the host is reachable; only network errors and timeouts fail. */
async function reachable(url: string, fix: string, proxyUrl?: string): Promise<Omit<CheckResult, 'check'>> {
  const target = new URL(url);
  try {
    // The same transport as update-db: undici, through HTTPS_PROXY when one is set.
    const { fetch, ProxyAgent } = await import('undici');
    const response = await fetch(target.origin, {
      method: 'HEAD',
      redirect: 'manual',
      signal: AbortSignal.timeout(NETWORK_TIMEOUT_MS),
      ...(proxyUrl ? { dispatcher: new ProxyAgent(proxyUrl) } : {}),
    });
    return ok(`${target.origin} answered (${response.status})`);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return fail(`${target.origin} is not reachable (${cause})`, fix);
  }
}

export async function runChecks(ctx: Context): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [name, check] of checks) {
    try {
      results.push({ check: name, ...(await check(ctx)) });
    } catch (error) {
      results.push({
        check: name,
        state: 'fail',
        detail: message(error).split('\n')[0]!,
        fix: fixFor(error),
      });
    }
  }
  return results;
}

/**
 * The fix for a failure that came as an error: djs's messages say what happened, then what to do,
 * starting with a verb ("… revoked: run `djs login --google`", "… Unlock your keyring …").
 */
function fixFor(error: unknown): string {
  const advice =
    /(?:^|[.:;]\s+|,?\s+or\s+)((?:run|set|unlock|check|move|upgrade|install|point|free)\b.*)$/i.exec(
      message(error),
    );
  const fix = advice?.[1];
  return fix
    ? fix.charAt(0).toUpperCase() + fix.slice(1)
    : 'Run the failing command with --verbose for details.';
}
