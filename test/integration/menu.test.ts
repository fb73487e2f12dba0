import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { baseEnv, DJS_BIN, runDjs, tempHome } from '../helpers/cli.js';
import { TmuxSession, tmuxAvailable } from '../helpers/tmux.js';

if (!tmuxAvailable) console.warn('tmux is not installed: skipping the menu test');

describe('djs with no arguments', () => {
  let session: TmuxSession | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    session?.close();
    cleanup?.();
  });

  it.skipIf(!tmuxAvailable)(
    'offers a menu of the commands on a terminal and runs the one chosen',
    async () => {
      const home = tempHome();
      cleanup = home.cleanup;
      session = TmuxSession.start(`${process.execPath} ${DJS_BIN}`, baseEnv(home.home));
      const screen = await session.waitFor(/What do you want to do\?/);
      // The first page of the list (15 entries; the rest scroll into view).
      for (const command of [
        'register',
        'login',
        'status',
        'profile delete',
        'update-db',
        'search',
        'jobs show',
      ]) {
        expect(screen).toContain(command);
      }
      session.press('Down', 'Down', 'Down', 'Enter'); // register, login, logout, status
      expect(await session.exitCode()).toBe(4);
      expect(session.screen()).toMatch(/You are not logged in/);
    },
  );

  it('prints the help off a terminal and exits 0', async () => {
    const { home, cleanup: done } = tempHome();
    cleanup = done;
    const result = await runDjs([], { home });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: djs/);
    expect(result.stdout).toMatch(/Exit codes:/);
  });

  it('leaves quietly when the reader of its output stops early (| true, | head)', () => {
    const { home, cleanup: done } = tempHome();
    cleanup = done;
    const result = spawnSync(
      'bash',
      ['-c', `'${process.execPath}' '${DJS_BIN}' completion bash | true; echo "djs=\${PIPESTATUS[0]}" >&2`],
      { env: baseEnv(home), encoding: 'utf8' },
    );
    expect(result.stderr).toBe('djs=0\n');
  });
});
