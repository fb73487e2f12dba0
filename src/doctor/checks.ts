import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ActiveSession } from '../accounts/sessions.js';
import type { User } from '../accounts/accounts.js';
import type { DjsPaths } from '../core/paths.js';
import type { Environment } from '../core/settings.js';
import type { Db } from '../db/database.js';
import type { GoogleLinkService } from '../google/link.js';
import type { Crontab } from '../schedule/crontab.js';
import type { SecretStore } from '../secrets/secret-store.js';

export type CheckState = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  check: string;
  state: CheckState;
  detail: string;
  /** What to do about a warning or failure. */
  fix?: string;
}

/** What the checks look at, passed in (commands/doctor.ts builds them from the CLI context). */
export interface DoctorDeps {
  paths: DjsPaths;
  /** Read through core/settings, as every command reads it. */
  env: Environment;
  db(): Promise<Db>;
  secrets(): Promise<SecretStore>;
  /** The logged-in user, or an AuthError saying how to log in. */
  login(): Promise<{ user: User; session: ActiveSession }>;
  googleLink(): Promise<GoogleLinkService>;
  /** The HTTP status an origin answers with; throws when it cannot be reached. */
  probe(origin: string, proxyUrl: string | null): Promise<number>;
  crontab(): Crontab;
}

type Check = (deps: DoctorDeps) => Promise<Omit<CheckResult, 'check'>>;

const MIN_NODE = [20, 17] as const;

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
    async (deps) => {
      const { home, logs } = deps.paths;
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
    async (deps) => {
      if (!existsSync(deps.paths.database)) {
        return warn(`no database yet at ${deps.paths.database}`, 'Run `djs register` to create one.');
      }
      const { currentSchemaVersion, loadMigrations } = await import('../db/database.js');
      const moveAside = `Move ${deps.paths.database} aside (keep it for recovery) and run \`djs register\` again.`;
      let db;
      let integrity: unknown;
      try {
        db = await deps.db();
        integrity = db.pragma('integrity_check', { simple: true });
      } catch (error) {
        // Damage in the schema pages already fails the open; elsewhere only the integrity check sees it.
        return fail(message(error).split(/(?<=\.)\s/)[0]!, moveAside);
      }
      if (integrity !== 'ok')
        return fail(`integrity check failed: ${String(integrity).slice(0, 120)}`, moveAside);
      const latest = loadMigrations().at(-1)?.version ?? 0;
      return ok(`${deps.paths.database}: intact, schema ${currentSchemaVersion(db)} of ${latest}`);
    },
  ],
  ['search index', searchIndexCheck],
  [
    'secret store',
    async (deps) => {
      const store = await deps.secrets();
      await store.list('');
      return ok(
        store.kind === 'file'
          ? `file ${deps.paths.secretsFile} (not the OS keychain)`
          : 'OS keychain reachable',
      );
    },
  ],
  [
    'google client',
    async (deps) => {
      const { resolveClientConfig } = await import('../google/client-config.js');
      try {
        return ok(`configured from ${resolveClientConfig(deps.env, deps.paths.config).source}`);
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
    async (deps) => {
      if (!existsSync(deps.paths.database))
        return warn('nobody is logged in', 'Run `djs register` or `djs login`.');
      const { user, session } = await deps.login();
      return ok(`logged in as ${user.email} until ${session.expiresAt}`);
    },
  ],
  [
    'google token',
    async (deps) => {
      if (!existsSync(deps.paths.database))
        return warn('no account yet', 'Run `djs register`, then `djs login --google`.');
      const { user } = await deps.login();
      const google = await deps.googleLink();
      if (!google.isLinked(user.id))
        return warn('Google is not linked', 'Run `djs login --google` to use Google Sheets.');
      await google.accessToken(user.id);
      return ok('the Google link works (an access token was obtained)');
    },
  ],
  [
    'linkedin',
    async (deps) => {
      const { linkedInClientSettings } = await import('../sources/linkedin/client.js');
      const { baseUrl, proxyUrl } = linkedInClientSettings(deps.env);
      return reachable(deps, baseUrl, 'Check your network, or HTTPS_PROXY.', proxyUrl);
    },
  ],
  [
    'google',
    async (deps) => {
      const { googleEndpoints } = await import('../google/endpoints.js');
      return reachable(deps, googleEndpoints(deps.env).tokenUrl, 'Check your network.', null);
    },
  ],
  [
    'schedule',
    async (deps) => {
      if (!existsSync(deps.paths.database)) return warn('no database yet', 'Run `djs register` first.');
      const schedule = await import('../schedule/crontab.js');
      const { databaseId } = await import('../db/database.js');
      const line = schedule.findLine(deps.crontab().read(), databaseId(await deps.db()));
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

/** Segments per FTS5 index, page size and free pages: what `djs doctor --fix` repairs. */
async function searchIndexCheck(deps: DoctorDeps): Promise<Omit<CheckResult, 'check'>> {
  if (!existsSync(deps.paths.database)) return warn('no database yet', 'Run `djs register` first.');
  const { describeHealth, searchIndexHealth, searchIndexProblems } = await import('../jobs/search-index.js');
  const health = searchIndexHealth(await deps.db());
  const problems = searchIndexProblems(health);
  return problems.length === 0
    ? ok(describeHealth(health))
    : warn(
        `${describeHealth(health)}: ${problems.join('; ')}`,
        'Run `djs doctor --fix` to merge the indexes and rewrite the file.',
      );
}

/** Any HTTP answer at all means the host is reachable; only network errors and timeouts fail. */
async function reachable(
  deps: DoctorDeps,
  url: string,
  fix: string,
  proxyUrl: string | null,
): Promise<Omit<CheckResult, 'check'>> {
  const target = new URL(url);
  try {
    return ok(`${target.origin} answered (${await deps.probe(target.origin, proxyUrl)})`);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return fail(`${target.origin} is not reachable (${cause})`, fix);
  }
}

export async function runChecks(deps: DoctorDeps): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [name, check] of checks) {
    try {
      results.push({ check: name, ...(await check(deps)) });
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
