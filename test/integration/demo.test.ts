import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectNoStackTrace, runDjs, tempHome } from '../helpers/cli.js';

describe('djs demo', () => {
  it('runs the whole flow offline against its own servers and says where to look', async () => {
    const { home, cleanup } = tempHome();
    try {
      // Anything that tried to leave 127.0.0.1 would fail here: no proxy, no real endpoints reachable.
      const result = await runDjs(['demo', '--postings', '40'], { home, timeoutMs: 120_000 });
      expectNoStackTrace(result);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Step 10\/10/);
      expect(result.stdout).toMatch(/The demo ran end to end/);
      expect(result.stdout).toMatch(/Synced "Dream Job Search": 40 postings/);
      expect(result.stderr).not.toMatch(/error:/);
      const demoHome = /Data folder for this demo: (\S+)/.exec(result.stdout)![1]!;
      expect(existsSync(`${demoHome}/djs.db`)).toBe(true);
      // The person's own DJS_HOME was not touched.
      expect(existsSync(`${home}/djs.db`)).toBe(false);
      rmSync(demoHome, { recursive: true, force: true });
    } finally {
      cleanup();
    }
  });
});
