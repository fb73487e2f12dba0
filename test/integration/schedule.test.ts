import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePostings, startFakeLinkedIn, type FakeLinkedIn } from '../../src/fakes/linkedin-server.js';
import { expectNoStackTrace, registeredHome, runDjs } from '../helpers/cli.js';

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
  });
  afterAll(async () => {
    writeCrontab(original);
    homes.cleanup();
    await fake.close();
  });

  const env = () => ({ DJS_LINKEDIN_URL: fake.url, DJS_RATE_LIMIT: '0' });

  it('refuses to install without saved searches (exit 2, says how)', async () => {
    const home = homes.clone();
    const result = await runDjs(['schedule', 'install'], { home, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--save/);
  });

  it('rejects a bad cron expression with exit 2 and leaves the crontab alone', async () => {
    writeCrontab(OTHER_LINES);
    const home = homes.clone();
    for (const expression of [
      '61 * * * *',
      'every day',
      '* * * * * *',
      '0 7 * * * ; rm -rf ~',
      '0 7 %d * *',
    ]) {
      const result = await runDjs(['schedule', 'install', '--cron', expression], { home, env: env() });
      expectNoStackTrace(result);
      expect(result.code, expression).toBe(2);
    }
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

    // Run the line's command the way cron would: /bin/sh, a minimal environment, no terminal.
    const command = ours[0]!.split(' ').slice(5).join(' ');
    // (Asynchronously: the LinkedIn fake answering it lives in this process.)
    const status = await new Promise<number | null>((resolve) =>
      spawn('/bin/sh', ['-c', command], {
        env: { PATH: '/usr/bin:/bin', HOME: process.env.HOME!, SHELL: '/bin/sh' },
        stdio: 'ignore',
      }).on('close', resolve),
    );
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
