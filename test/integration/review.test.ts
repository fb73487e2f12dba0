import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, DJS_BIN, expectNoStackTrace, registeredHome, runDjs } from '../helpers/cli.js';
import { MORNING, readValue, seedPostings } from '../helpers/review-home.js';
import { TmuxSession, tmuxAvailable } from '../helpers/tmux.js';

if (!tmuxAvailable) console.warn('tmux is not installed: skipping the review tests on a terminal');

let template: Awaited<ReturnType<typeof registeredHome>>;
beforeAll(async () => {
  template = await registeredHome('ada@example.com');
});
afterAll(() => template?.cleanup());

/** A home with the morning's five postings and the keywords python and react. */
async function morningHome(): Promise<string> {
  const home = template.clone();
  seedPostings(home, MORNING);
  expect((await runDjs(['profile', 'keywords', 'python', 'react'], { home })).code).toBe(0);
  return home;
}

const statusOf = (home: string, jobId: string): unknown =>
  readValue(home, 'SELECT status FROM job_postings WHERE job_id = ?', jobId);

describe('djs review', () => {
  let session: TmuxSession | undefined;
  afterEach(() => session?.close());

  it('off a terminal exits 2 and names djs search --new, changing nothing', async () => {
    const home = await morningHome();
    const result = await runDjs(['review'], { home });
    expectNoStackTrace(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('djs search --new');
    expect(readValue(home, 'SELECT count(*) FROM job_postings WHERE seen_at IS NOT NULL')).toBe(0);
  });

  it('lists its keys in --help', async () => {
    const home = template.clone();
    const help = await runDjs(['review', '--help'], { home });
    for (const key of ['s', 'a', 'x', 'o', 'd', 'n', 'u', 'q'])
      expect(help.stdout).toMatch(new RegExp(`^  ${key}  \\w`, 'm'));
  });

  it.skipIf(!tmuxAvailable)(
    'shows the best card first; a (with a note), x, u, s, d, o and q do what they say',
    async () => {
      const home = await morningHome();
      const opened = join(home, 'opened.txt');
      const browser = join(home, 'browser.sh');
      writeFileSync(browser, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`, { mode: 0o755 });
      session = TmuxSession.start(`${process.execPath} ${DJS_BIN} review`, {
        ...baseEnv(home),
        BROWSER: browser,
      });

      // Best first: 4200000002 mentions python and react.
      let screen = await session.waitFor(/Posting 1 of 5 · score 2 · matches python, react/);
      expect(screen).toContain('Full-stack Engineer');
      expect(screen).toMatch(
        /Pay €60,000 – €80,000\/yr\s+Posted 2025-03-02\s+Source LinkedIn\s+Job id 4200000002/,
      );
      expect(screen).toContain('[s] save  [a] applied');

      session.type('o');
      await session.waitFor(/Opened https:\/\/jobs\.example\.com\/apply\/2 in your browser/);

      session.type('a');
      await session.waitFor(/Note \(optional/);
      session.type('sent CV via the site');
      session.press('Enter');
      screen = await session.waitFor(/Posting 2 of 5/);
      expect(screen).toContain('Applied: "Full-stack Engineer", with your note.');
      expect(screen).toContain('Python Developer');

      session.type('x');
      await session.waitFor(/Archived "Python Developer" \(not interested\)/);
      expect(statusOf(home, '4200000001')).toBe('archived');
      session.type('u');
      screen = await session.waitFor(/Undone: 4200000001 is new again\./);
      expect(screen).toMatch(/Posting 2 of 5/);
      expect(statusOf(home, '4200000001')).toBe('new');

      session.type('s');
      await session.waitFor(/Saved "Python Developer"\./);
      session.type('d');
      await session.waitFor(/Press any key to go back to the card/);
      expect(session.screen()).toContain('Some python.');
      session.type(' ');
      session.press('Enter'); // next
      await session.waitFor(/Posting 4 of 5/);

      session.type('q');
      expect(await session.exitCode()).toBe(0);
      expect(session.screen()).toContain('3 reviewed: 1 applied, 1 saved.');
      expect(statusOf(home, '4200000002')).toBe('applied');
      expect(readValue(home, 'SELECT notes FROM job_postings WHERE job_id = ?', '4200000002')).toMatch(
        /^\d{4}-\d{2}-\d{2}: sent CV via the site$/,
      );
      expect(statusOf(home, '4200000001')).toBe('saved');
      expect(
        readValue(
          home,
          `SELECT group_concat(old_status || '>' || new_status, ' ') FROM job_status_changes c
           JOIN job_postings p ON p.id = c.posting_id WHERE p.job_id = ?`,
          '4200000001',
        ),
      ).toBe('new>archived archived>new new>saved');
      expect(readFileSync(opened, 'utf8')).toBe('https://jobs.example.com/apply/2\n');
      // Three cards were moved past; the one on screen at q and the fifth are still new.
      const status = await runDjs(['status', '--json'], { home });
      expect(JSON.parse(status.stdout).newPostings).toBe(2);
      expect(readValue(home, "SELECT seen_at IS NULL FROM job_postings WHERE job_id = '4200000003'")).toBe(1);
    },
    60_000,
  );
});
