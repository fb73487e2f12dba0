import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, registeredHome, runDjs, tempHome, type DjsResult } from '../helpers/cli.js';

/** `djs searches` (saved LinkedIn searches) and `djs blocklist` through the built CLI. */

let template: Awaited<ReturnType<typeof registeredHome>>;
let home: string;
beforeAll(async () => {
  template = await registeredHome('ada@example.com');
  home = template.clone();
});
afterAll(() => template?.cleanup());

async function djs(args: string[]): Promise<DjsResult> {
  const result = await runDjs(args, { home });
  expectNoStackTrace(result);
  return result;
}

function table(name: 'saved_searches' | 'blocked_companies'): unknown[] {
  const db = new Database(join(home, 'djs.db'), { readonly: true });
  try {
    return db.prepare(`SELECT * FROM ${name} ORDER BY created_at, 1, 2`).all();
  } finally {
    db.close();
  }
}

describe('djs searches', () => {
  it('add saves every query × location, list numbers them, remove takes numbers or query@location', async () => {
    expect((await djs(['searches', 'list'])).stdout).toMatch(/No saved searches yet/);
    expect(JSON.parse((await djs(['searches', 'list', '--json'])).stdout)).toEqual([]);

    const added = await djs([
      'searches',
      'add',
      '-q',
      'python developer',
      '-q',
      'data engineer',
      '-l',
      'Berlin',
      '-l',
      'Remote',
    ]);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/Saved 4 new searches\./);
    const again = await djs([
      'searches',
      'add',
      '-q',
      'python developer',
      '-l',
      'Berlin',
      '-l',
      'Kraków',
      '--json',
    ]);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 1 });

    const listed = JSON.parse((await djs(['searches', 'list', '--json'])).stdout) as unknown[];
    expect(listed).toEqual([
      { number: 1, query: 'python developer', location: 'Berlin' },
      { number: 2, query: 'python developer', location: 'Remote' },
      { number: 3, query: 'data engineer', location: 'Berlin' },
      { number: 4, query: 'data engineer', location: 'Remote' },
      { number: 5, query: 'python developer', location: 'Kraków' },
    ]);
    const shown = await djs(['searches', 'list']);
    expect(shown.stdout).toMatch(/^# +Query +Location\n1 +python developer +Berlin\n/);

    const removed = await djs(['searches', 'remove', '4', 'Python Developer@remote']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(
      /Removed 2 saved searches: "python developer@Remote", "data engineer@Remote"\./,
    );
    const left = JSON.parse((await djs(['searches', 'remove', '3', '--json'])).stdout) as {
      removed: unknown[];
      searches: Array<{ query: string; location: string }>;
    };
    expect(left.removed).toEqual([{ number: 3, query: 'python developer', location: 'Kraków' }]);
    expect(left.searches.map((s) => `${s.query}@${s.location}`)).toEqual([
      'python developer@Berlin',
      'data engineer@Berlin',
    ]);
  });

  it.each([
    [['searches', 'add', '-q', 'python'], /Give at least one -q\/--query and one -l\/--location.*no prompt/],
    [['searches', 'add', '-l', 'Berlin'], /Give at least one -q\/--query and one -l\/--location/],
    [['searches', 'add', '-q', '  ', '-l', 'Berlin'], /query is empty/],
    [['searches', 'add', '-q', 'a\u0007b', '-l', 'Berlin'], /control characters/],
    [['searches', 'remove'], /Give the searches to remove.*no prompt/],
    [['searches', 'remove', '1', '9'], /no saved search number 9: you have 2.*nothing was removed/],
    [['searches', 'remove', 'rust@Paris'], /no saved search "rust@Paris"/],
    [['searches', 'remove', 'python'], /"python" names no saved search: give its number or "query@location"/],
    [['searches', 'frobnicate'], /unknown command 'frobnicate'/],
  ])('%j → exit 2, a clear message, nothing changed', async (args, message) => {
    const before = table('saved_searches');
    const result = await djs(args as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message as RegExp);
    expect(result.stdout).toBe('');
    expect(table('saved_searches')).toEqual(before);
  });
});

describe('djs blocklist', () => {
  it('add, list (--json), remove', async () => {
    expect((await djs(['blocklist', 'list'])).stdout).toMatch(/You block no companies/);
    const added = await djs(['blocklist', 'add', 'Staffing Agency Ltd', 'Acme']);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/Blocked "Staffing Agency Ltd"\.\n.*Blocked "Acme"\./);
    const again = JSON.parse((await djs(['blocklist', 'add', 'ACME GmbH', '--json'])).stdout) as {
      added: unknown[];
      already: Array<{ company: string }>;
    };
    expect(again.added).toEqual([]);
    expect(again.already.map((entry) => entry.company)).toEqual(['Acme']);
    expect((await djs(['blocklist', 'add', 'acme'])).stdout).toMatch(/"Acme" was blocked already/);

    const listed = JSON.parse((await djs(['blocklist', 'list', '--json'])).stdout) as Array<
      Record<string, unknown>
    >;
    expect(listed).toEqual([
      { company: 'Acme', companyKey: 'acme', createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
      { company: 'Staffing Agency Ltd', companyKey: 'staffing agency', createdAt: expect.any(String) },
    ]);
    expect((await djs(['blocklist', 'list'])).stdout).toMatch(
      /^Acme +\(since \d{4}-\d{2}-\d{2}\)\nStaffing Agency Ltd/,
    );

    const removed = await djs(['blocklist', 'remove', 'acme, inc.']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/Unblocked "Acme": their postings show again\./);
    expect(table('blocked_companies')).toHaveLength(1);
  });

  it.each([
    [['blocklist', 'add'], /Give at least one company: djs blocklist add <company>.*no prompt/],
    [['blocklist', 'add', '   '], /company name is empty/],
    [['blocklist', 'add', '!!!'], /no letters or digits/],
    [['blocklist', 'add', 'a\u0007b'], /control characters/],
    [['blocklist', 'remove', 'Globex'], /"Globex" is not on your blocklist.*nothing was removed/],
    [['blocklist', 'remove'], /Give at least one company: djs blocklist remove/],
  ])('%j → exit 2, a clear message, nothing changed', async (args, message) => {
    const before = table('blocked_companies');
    const result = await djs(args as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message as RegExp);
    expect(table('blocked_companies')).toEqual(before);
  });

  it('needs a login (exit 4), for searches too', async () => {
    const fresh = tempHome('djs-blocklist-nologin-');
    try {
      for (const args of [
        ['blocklist', 'list'],
        ['searches', 'list'],
        ['blocklist', 'add', 'Acme'],
      ]) {
        const result = await runDjs(args, { home: fresh.home });
        expectNoStackTrace(result);
        expect(result.code).toBe(4);
        expect(result.stderr).toMatch(/not logged in/);
      }
    } finally {
      fresh.cleanup();
    }
  });
});
