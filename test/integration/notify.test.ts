import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLinkedIn, type FakeLinkedIn, type FakePosting } from '../../src/fakes/linkedin-server.js';
import { expectNoStackTrace, registeredHome, runDjs, type DjsResult } from '../helpers/cli.js';

/**
 * The nudge after a scheduled run: `djs update-db --notify` (the command `schedule install --notify`
 * puts in the crontab) against the fake LinkedIn, with a stand-in `notify-send` first on PATH that records
 * the command line it was run with.
 */

const posting = (jobId: string, title: string, description: string): FakePosting => ({
  jobId,
  title,
  company: 'Acme',
  location: 'Berlin, Germany',
  description,
  postedAt: '2025-03-01',
  queries: ['nudge'],
});
const FIRST_RUN = [
  posting('4300000001', 'Python Developer', 'Python and Django.'),
  posting('4300000002', 'React Engineer', 'React <b>and</b> TypeScript, some python.'),
  posting('4300000003', 'Barista', 'Coffee & cake.'),
];

let template: Awaited<ReturnType<typeof registeredHome>>;
let fake: FakeLinkedIn;
let bin: string;
const recorded = (): string => join(bin, 'calls.txt');

beforeAll(async () => {
  template = await registeredHome('ada@example.com');
  fake = await startFakeLinkedIn({ postings: FIRST_RUN });
  bin = mkdtempSync(join(tmpdir(), 'djs-notify-'));
  // The stand-in: one line per argument, then a blank line; NOTIFY_EXIT makes it fail like a missing daemon.
  writeFileSync(
    join(bin, 'notify-send'),
    `#!/bin/sh\nfor arg in "$@"; do printf '%s\\n' "$arg" >> '${recorded()}'; done\necho >> '${recorded()}'\nexit \${NOTIFY_EXIT:-0}\n`,
    { mode: 0o755 },
  );
});
afterAll(async () => {
  template?.cleanup();
  await fake?.close();
  rmSync(bin, { recursive: true, force: true });
});

async function homeWithKeywords(...keywords: string[]): Promise<string> {
  const home = template.clone();
  expect((await runDjs(['profile', 'keywords', ...keywords], { home })).code).toBe(0);
  return home;
}

function collect(home: string, env: Record<string, string | undefined> = {}): Promise<DjsResult> {
  return runDjs(['update-db', '-q', 'nudge', '-l', 'Berlin', '--notify', '--no-sheets'], {
    home,
    env: {
      DJS_LINKEDIN_URL: fake.url,
      DJS_RATE_LIMIT: '0',
      PATH: `${bin}:${process.env.PATH}`,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
      DISPLAY: undefined,
      WAYLAND_DISPLAY: undefined,
      ...env,
    },
  });
}

describe('update-db --notify', () => {
  it('notifies once about the stored postings that match the keywords, and not again for the same ones', async () => {
    rmSync(recorded(), { force: true });
    const home = await homeWithKeywords('python', 'react', 'rust');
    const first = await collect(home);
    expectNoStackTrace(first);
    expect(first.code, first.stderr).toBe(0);
    expect(readFileSync(recorded(), 'utf8')).toBe(
      '--app-name=djs\ndjs\n2 new postings match python, react — run djs review\n\n',
    );
    expect(first.stderr).toContain('Notified: 2 new postings match python, react — run djs review.');

    const again = await collect(home);
    expect(again.code).toBe(0);
    expect(readFileSync(recorded(), 'utf8').split('\n\n')).toHaveLength(2); // still the one call
  });

  it('escapes markup in the keywords it shows', async () => {
    rmSync(recorded(), { force: true });
    const home = await homeWithKeywords('<b>and</b>');
    expect((await collect(home)).code).toBe(0);
    expect(readFileSync(recorded(), 'utf8')).toContain(
      '1 new posting matches &lt;b&gt;and&lt;/b&gt; — run djs review',
    );
  });

  it('stays silent with no display, with no match or without keywords, and a failing notifier never fails the run', async () => {
    rmSync(recorded(), { force: true });
    const noDisplay = await collect(await homeWithKeywords('python'), {
      DBUS_SESSION_BUS_ADDRESS: undefined,
    });
    expect(noDisplay.code, noDisplay.stderr).toBe(0);
    const noMatch = await collect(await homeWithKeywords('cobol'));
    expect(noMatch.code).toBe(0);
    const noKeywords = await collect(template.clone());
    expect(noKeywords.code).toBe(0);
    expect(existsSync(recorded())).toBe(false);
    for (const result of [noDisplay, noMatch, noKeywords])
      expect(result.stderr).not.toMatch(/Notified|error/);

    const noDaemon = await collect(await homeWithKeywords('python'), { NOTIFY_EXIT: '1' });
    expectNoStackTrace(noDaemon);
    expect(noDaemon.code).toBe(0);
    expect(existsSync(recorded())).toBe(true); // it was tried
    expect(noDaemon.stderr).not.toMatch(/Notified|error/);

    const noProgram = await collect(await homeWithKeywords('python'), { PATH: '/nonexistent' });
    expect(noProgram.code).toBe(0);
  });
});
