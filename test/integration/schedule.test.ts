import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARRIED_VARIABLES } from '../../src/core/settings.js';
import { generatePostings, startFakeLinkedIn, type FakeLinkedIn } from '../../src/fakes/linkedin-server.js';
import { DJS_BIN, expectNoStackTrace, REPO_ROOT, registeredHome, runDjs } from '../helpers/cli.js';
import { cronCommand, runLikeCron } from '../helpers/cron.js';

const crontabAvailable = spawnSync('crontab', ['-l']).error === undefined;
if (!crontabAvailable) console.warn('crontab is not installed: skipping the schedule tests');

const readCrontab = (): string => {
  const result = spawnSync('crontab', ['-l'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout : '';
};
const writeCrontab = (content: string): void => {
  if (content) execFileSync('crontab', ['-'], { input: content });
  else spawnSync('crontab', ['-r']);
};

/** These tests use the real `crontab` of the user running them, and put it back as it was afterwards. */
describe.skipIf(!crontabAvailable)('djs schedule with the real crontab', () => {
  let original: string;
  let homes: Awaited<ReturnType<typeof registeredHome>>;
  let fake: FakeLinkedIn;
  const OTHER_LINES = '# a comment of the user\nMAILTO=""\n15 3 * * 1 /usr/bin/true nightly-job\n';

  beforeAll(async () => {
    original = readCrontab();
    homes = await registeredHome();
    fake = await startFakeLinkedIn({
      postings: generatePostings(12, 5).map((p) => ({
        ...p,
        queries: ['cronjob'],
        location: 'Berlin, Germany',
      })),
    });
    withSavedSearch = homes.clone();
    const saved = await runDjs(['update-db', '-q', 'cronjob', '-l', 'Berlin', '--save'], {
      home: withSavedSearch,
      env: env(),
    });
    if (saved.code !== 0) throw new Error(`update-db --save failed: ${saved.stderr}`);
  });
  afterAll(async () => {
    writeCrontab(original);
    homes.cleanup();
    await fake.close();
  });

  const env = () => ({ DJS_LINKEDIN_URL: fake.url, DJS_RATE_LIMIT: '0' });
  /** A copy of a home that has one saved search (made once), which `schedule install` requires. */
  let withSavedSearch: string | undefined;
  const savedHome = (): string => {
    if (!withSavedSearch) throw new Error('the home with a saved search is made in beforeAll');
    return copyHome(withSavedSearch, `saved-${Math.random().toString(36).slice(2)}`);
  };
  /** Copies a home into a folder with this (odd) name, inside a fresh clone so that cleanup removes it. */
  const copyHome = (home: string, name: string): string => {
    const copy = join(homes.clone(), name);
    cpSync(home, copy, { recursive: true });
    return copy;
  };
  const findOurs = (crontab: string) =>
    crontab.split('\n').find((line) => line.includes('# dream-job-search:update-db:'));

  it('refuses to install without saved searches (exit 2, says how)', async () => {
    const home = homes.clone();
    const result = await runDjs(['schedule', 'install'], { home, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--save/);
  });

  it('rejects a bad cron expression with exit 2 and leaves the crontab alone', async () => {
    writeCrontab(OTHER_LINES);
    // A home with a saved search, so that the cron expression is the only thing wrong.
    const home = savedHome();
    for (const expression of [
      '61 * * * *',
      'every day',
      '* * * * * *',
      '0 7 * * * ; rm -rf ~',
      '0 7 %d * *',
      // Cron reads these differently from croner (or not at all): "5#3" is every Friday to Debian cron.
      '0 0 * * 5#3',
      '0 0 L * *',
      '0 0 15W * *',
      '0 0 ? * *',
      '0 0 7 * * * 2030',
      '@reboot',
    ]) {
      const result = await runDjs(['schedule', 'install', '--cron', expression], { home, env: env() });
      expectNoStackTrace(result);
      expect(result.code, expression).toBe(2);
      expect(result.stderr, expression).toMatch(/cron/);
    }
    expect(readCrontab()).toBe(OTHER_LINES);
  });

  it('installs cron nicknames as the 5 fields cron reads them as, and previews "*/2" days the way cron ANDs them', async () => {
    writeCrontab(OTHER_LINES);
    const home = savedHome();
    const daily = await runDjs(['schedule', 'install', '--cron', '@daily', '--json'], { home, env: env() });
    expect(daily.code, daily.stderr).toBe(0);
    expect(JSON.parse(daily.stdout).line).toMatch(/^0 0 \* \* \* /);

    // Vixie cron: a day field starting with "*" makes the two day fields AND: Mondays on odd days only.
    const odd = await runDjs(['schedule', 'install', '--cron', '0 0 */2 * 1', '--json'], {
      home,
      env: { ...env(), TZ: 'UTC' },
    });
    expect(odd.code, odd.stderr).toBe(0);
    for (const run of JSON.parse(odd.stdout).nextRuns as string[]) {
      expect(new Date(run).getUTCDay(), run).toBe(1);
      expect(new Date(run).getUTCDate() % 2, run).toBe(1);
    }
    expect((await runDjs(['schedule', 'remove'], { home })).code).toBe(0);
    expect(readCrontab()).toBe(OTHER_LINES);
  });

  it('refuses a control character in DJS_HOME or any carried variable (exit 2, names it) and leaves the crontab byte-for-byte alone', async () => {
    writeCrontab(OTHER_LINES);
    const home = savedHome();
    expect((await runDjs(['schedule', 'install'], { home, env: env() })).code).toBe(0);
    const before = readCrontab();
    const injected = (name: string) => [
      `0\n* * * * * touch /tmp/djs-injected-${name} #`,
      `0\r* * * * * true`,
      `0\n`,
      `0\u001b]0;title\u0007`,
    ];
    for (const name of CARRIED_VARIABLES) {
      for (const value of injected(name)) {
        const result = await runDjs(['schedule', 'install'], { home, env: { ...env(), [name]: value } });
        expectNoStackTrace(result);
        expect(result.code, `${name}=${JSON.stringify(value)}`).toBe(2);
        expect(result.stderr).toContain(name);
        // DJS_SECRET_STORE is refused earlier, by its own check ("keychain" or "file").
        if (name !== 'DJS_SECRET_STORE') expect(result.stderr).toMatch(/control character/);
      }
    }
    const newlineHome = copyHome(home, 'evil\n* * * * * touch /tmp/djs-injected-home #');
    const refused = await runDjs(['schedule', 'install'], { home: newlineHome, env: env() });
    expectNoStackTrace(refused);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/DJS_HOME contains a control character/);
    expect(readCrontab()).toBe(before);
    // show and remove still find the one djs line of this database.
    expect(JSON.parse((await runDjs(['schedule', 'show', '--json'], { home })).stdout).installed).toBe(true);
    expect((await runDjs(['schedule', 'remove'], { home })).code).toBe(0);
    expect(readCrontab()).toBe(OTHER_LINES);
  });

  // Spaces, both quotes, % (a newline to cron), $, backticks, backslashes next to % and to each other.
  const ODD = `it's "q" 1% $HOME \`id\` $(id) a\\%b c\\\\d e\\`;

  it('quotes odd values so that cron and /bin/sh hand each one over unchanged', async () => {
    writeCrontab(OTHER_LINES);
    const home = copyHome(savedHome(), ODD);
    const printEnv = join(REPO_ROOT, 'test', 'helpers', 'print-env.mjs');
    const variables = CARRIED_VARIABLES.filter((name) => name !== 'DJS_SECRET_STORE');
    const odd = (names: string[]) => Object.fromEntries(names.map((name) => [name, ODD]));
    // In parts: Debian's crontab refuses a command over 1000 characters, and quoting makes these long.
    const groups = Array.from({ length: Math.ceil(variables.length / 4) }, (_, i) =>
      variables.slice(i * 4, i * 4 + 4),
    );
    for (const { where, env: carried } of [
      { where: home, env: {} },
      ...groups.map((names) => ({ where: savedHome(), env: odd(names) })),
    ]) {
      const installed = await runDjs(['schedule', 'install', '--json'], { home: where, env: carried });
      expect(installed.code, installed.stderr).toBe(0);
      const { line } = JSON.parse(installed.stdout) as { line: string };
      expect(findOurs(readCrontab())).toBe(line);
      expect(cronCommand(line).stdin).toBe('');

      // The same line with a stand-in for djs that prints the environment it was given.
      expect(line).toContain(` '${DJS_BIN}' update-db`);
      expect(await runLikeCron(line.replace(` '${DJS_BIN}' update-db`, ` '${printEnv}' update-db`))).toBe(0);
      const log = readFileSync(join(where, 'logs', 'update-db.log'), 'utf8');
      expect(JSON.parse(log)).toMatchObject({ ...carried, DJS_HOME: where, DJS_SECRET_STORE: 'file' });
      rmSync(join(where, 'logs', 'update-db.log'));
      expect((await runDjs(['schedule', 'remove'], { home: where })).code).toBe(0);
    }

    // And the real line runs update-db in that home.
    const real = await runDjs(['schedule', 'install', '--json'], { home, env: env() });
    expect(real.code, real.stderr).toBe(0);
    const status = await runLikeCron(JSON.parse(real.stdout).line);
    const log = readFileSync(join(home, 'logs', 'update-db.log'), 'utf8');
    expect(status, log).toBe(0);
    expect(log).toMatch(/update-db ok:/);
    expect((await runDjs(['schedule', 'remove'], { home })).code).toBe(0);
    expect(readCrontab()).toBe(OTHER_LINES);
  });

  it('installs one line (twice → still one), shows the next runs, and remove leaves the rest untouched', async () => {
    writeCrontab(OTHER_LINES);
    const home = homes.clone();
    const saved = await runDjs(['update-db', '-q', 'cronjob', '-l', 'Berlin', '--save', '--json'], {
      home,
      env: env(),
    });
    expect(saved.code).toBe(0);

    expect((await runDjs(['schedule', 'install'], { home, env: env() })).code).toBe(0);
    const second = await runDjs(['schedule', 'install', '--cron', '0 */6 * * *', '--json'], {
      home,
      env: env(),
    });
    expect(second.code).toBe(0);
    const crontab = readCrontab();
    const ours = crontab.split('\n').filter((line) => line.includes('# dream-job-search:update-db:'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/^0 \*\/6 \* \* \* /);
    expect(ours[0]).toContain(`DJS_HOME='${home}'`);
    expect(ours[0]).toContain(`>> '${join(home, 'logs', 'update-db.log')}' 2>&1`);
    expect(crontab.startsWith(OTHER_LINES)).toBe(true);

    const shown = await runDjs(['schedule', 'show', '--json'], { home });
    const { nextRuns, line } = JSON.parse(shown.stdout);
    expect(line).toBe(ours[0]);
    expect(nextRuns).toHaveLength(3);
    expect(new Date(nextRuns[1]).getTime() - new Date(nextRuns[0]).getTime()).toBe(6 * 3600 * 1000);

    const status = await runLikeCron(ours[0]!);
    expect(status, readFileSync(join(home, 'logs', 'update-db.log'), 'utf8')).toBe(0);
    const log = readFileSync(join(home, 'logs', 'update-db.log'), 'utf8');
    expect(log).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z update-db ok:/m);

    const removed = await runDjs(['schedule', 'remove'], { home });
    expect(removed.code).toBe(0);
    expect(readCrontab()).toBe(OTHER_LINES);
    expect((await runDjs(['schedule', 'show'], { home })).stdout).toMatch(/No schedule/);
  });
});

describe('update-db run the way cron runs it', () => {
  let fake: FakeLinkedIn;
  let homes: Awaited<ReturnType<typeof registeredHome>>;
  beforeAll(async () => {
    homes = await registeredHome();
    fake = await startFakeLinkedIn({
      postings: generatePostings(15, 9).map((p) => ({
        ...p,
        queries: ['cronjob'],
        location: 'Berlin, Germany',
      })),
    });
  });
  afterAll(async () => {
    homes.cleanup();
    await fake.close();
  });

  // No TTY, no DISPLAY, no D-Bus, no NO_COLOR, PATH=/usr/bin:/bin: what a crontab line gets.
  const runLikeCron = (home: string, args: string[], extra: Record<string, string> = {}) =>
    runDjs(args, {
      home,
      env: {
        PATH: '/usr/bin:/bin',
        NO_COLOR: undefined,
        LANG: undefined,
        DBUS_SESSION_BUS_ADDRESS: undefined,
        XDG_RUNTIME_DIR: undefined,
        DJS_KEYCHAIN_AVAILABLE: undefined,
        DJS_SECRET_STORE: undefined,
        DJS_LINKEDIN_URL: fake.url,
        DJS_RATE_LIMIT: '0',
        ...extra,
      },
    });

  it('prints plain timestamped lines, no colour, no spinner, no prompt, and exits 0', async () => {
    const home = homes.clone();
    const result = await runLikeCron(home, ['update-db', '-q', 'cronjob', '-l', 'Berlin'], {
      DJS_SECRET_STORE: 'file',
    });
    expect(result.code, result.stderr).toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).not.toMatch(/\u001b/);
    expect(output).not.toMatch(/\r/);
    const lines = output
      .trim()
      .split('\n')
      .filter((line) => !line.startsWith('warning: secrets are kept in the file'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z /);
  });

  it('names the fix when the keychain cannot be reached from cron (exit 1, no hang)', async () => {
    const home = homes.clone();
    const started = Date.now();
    const result = await runLikeCron(home, ['update-db']);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/DJS_SECRET_STORE=file/);
    expect(result.stderr).toMatch(/keyring/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
