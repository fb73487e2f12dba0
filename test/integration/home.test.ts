import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, DJS_BIN, registeredHome, runDjs } from '../helpers/cli.js';
import { MORNING, readValue, seedPostings } from '../helpers/review-home.js';
import { TmuxSession, tmuxAvailable } from '../helpers/tmux.js';

if (!tmuxAvailable) console.warn('tmux is not installed: skipping the home tests');

/** `djs` on a terminal, driven like a person: the home, a review from it, and leaving it. */
describe.skipIf(!tmuxAvailable)('the home', () => {
  let template: Awaited<ReturnType<typeof registeredHome>>;
  let session: TmuxSession | undefined;
  beforeAll(async () => {
    template = await registeredHome('ada@example.com');
  });
  afterAll(() => template?.cleanup());
  afterEach(() => session?.close());

  async function openHome(): Promise<{ home: string; session: TmuxSession }> {
    const home = template.clone();
    seedPostings(home, MORNING);
    expect((await runDjs(['profile', 'keywords', 'python', 'react'], { home })).code).toBe(0);
    session = TmuxSession.start(`${process.execPath} ${DJS_BIN}`, baseEnv(home), { width: 120, height: 40 });
    return { home, session };
  }

  it('shows the counts; Review → a on the first card → note → q, and the home is back with one new less', async () => {
    const { home, session } = await openHome();
    const screen = await session.waitForVisible(/What do you want to do\?/);
    expect(screen).toContain('Logged in as     ada@example.com');
    expect(screen).toMatch(/Postings\s+5 · 5 new since your last review/);
    expect(screen).toMatch(/Last collection\s+never/);
    expect(screen).toMatch(/Spreadsheet\s+none/);
    // Review first, then the groups of tasks.
    const menu = screen.slice(screen.indexOf('What do you want to do?'));
    expect(menu.match(/^[ ❯] \S.*$/gm)?.map((line) => line.slice(2).trim())).toEqual([
      'Review new postings (5)',
      'Search …',
      'Collect now',
      'Saved searches and sources …',
      'Google Sheets …',
      'Schedule …',
      'Account …',
      'Quit',
    ]);

    session.press('Enter');
    await session.waitForVisible(/Posting 1 of 5 · score 2 · matches python, react/);
    session.type('a');
    await session.waitForVisible(/Note \(optional/);
    session.type('applied on their site');
    session.press('Enter');
    await session.waitForVisible(/Posting 2 of 5/);
    session.type('q');
    await session.waitForVisible(/1 reviewed: 1 applied\.[\s\S]*Press any key to go back to the home/);
    session.type(' ');
    // The first card was decided; the second was on screen at q and stays new for the next review.
    const back = await session.waitForVisible(/What do you want to do\?/);
    expect(back).toMatch(/Postings\s+5 · 4 new since your last review/);
    expect(back).toContain('Review new postings (4)');
    expect(readValue(home, "SELECT status FROM job_postings WHERE job_id = '4200000002'")).toBe('applied');

    session.press('C-c');
    expect(await session.exitCode()).toBe(0);
    const end = session.screen();
    expect(end).not.toMatch(/error|Error|Interrupted|\n\s+at /);
  }, 60_000);

  it('Esc inside a task goes back to the home; a task that fails shows why and the home comes back', async () => {
    const { session } = await openHome();
    await session.waitForVisible(/What do you want to do\?/);
    session.press('Down', 'Enter'); // Search …
    await session.waitForVisible(/Search by keywords/);
    session.press('Enter');
    await session.waitForVisible(/Keywords \(put/);
    session.press('Escape');
    await session.waitForVisible(/What do you want to do\?/);

    session.press('Down', 'Down', 'Enter'); // Collect now: no saved searches
    await session.waitForVisible(/You have no saved searches[\s\S]*Press any key to go back to the home/);
    session.type('x');
    await session.waitForVisible(/What do you want to do\?/);
    session.press(...Array<string>(7).fill('Down'), 'Enter'); // Quit, the last entry
    expect(await session.exitCode()).toBe(0);
  }, 60_000);

  it('Saved searches and sources: add a saved search, list it, block a company', async () => {
    const { home, session } = await openHome();
    await session.waitForVisible(/What do you want to do\?/);
    session.press('Down', 'Down', 'Down', 'Enter'); // Saved searches and sources …
    const group = await session.waitForVisible(/Which one\?/);
    for (const task of [
      'Saved searches',
      'Add a saved search',
      'Remove a saved search',
      'Sources',
      'Add a source',
      'Remove a source',
      'Blocked companies',
      'Block a company',
      'Unblock a company',
    ]) {
      expect(group).toMatch(new RegExp(`^[ ❯] ${task}$`, 'm'));
    }
    session.press('Down', 'Enter'); // Add a saved search
    await session.waitForVisible(/Query:/);
    session.type('python developer');
    session.press('Enter');
    await session.waitForVisible(/Location:/);
    session.type('Berlin');
    session.press('Enter');
    await session.waitForVisible(/Saved 1 new search\.[\s\S]*Press any key to go back to the home/);
    session.type(' ');
    await session.waitForVisible(/What do you want to do\?/);
    session.press('Down', 'Down', 'Down', 'Enter');
    await session.waitForVisible(/Which one\?/);
    session.press('Enter'); // Saved searches
    await session.waitForVisible(/1 +python developer +Berlin[\s\S]*Press any key to go back to the home/);
    session.type(' ');
    await session.waitForVisible(/What do you want to do\?/);
    session.press('Down', 'Down', 'Down', 'Enter');
    await session.waitForVisible(/Which one\?/);
    // Saved searches, Add/Remove a saved search, Sources, Add/Remove a source, Blocked companies, then:
    session.press('Down', 'Down', 'Down', 'Down', 'Down', 'Down', 'Down', 'Enter'); // Block a company
    await session.waitForVisible(/Company:/);
    session.type('Acme');
    session.press('Enter');
    await session.waitForVisible(/Blocked "Acme"[\s\S]*Press any key to go back to the home/);
    session.type(' ');
    await session.waitForVisible(/What do you want to do\?/);
    expect(readValue(home, 'SELECT company FROM blocked_companies')).toBe('Acme');
    session.press('C-c');
    expect(await session.exitCode()).toBe(0);
  }, 60_000);
});
