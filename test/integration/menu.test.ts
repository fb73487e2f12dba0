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

  it.skipIf(!tmuxAvailable)('not logged in: the home offers register and log in only', async () => {
    const home = tempHome();
    cleanup = home.cleanup;
    session = TmuxSession.start(`${process.execPath} ${DJS_BIN}`, baseEnv(home.home));
    const screen = await session.waitFor(/What do you want to do\?[\s\S]*Quit/);
    expect(screen).toContain('Not logged in.');
    const menu = screen.slice(screen.indexOf('What do you want to do?'));
    expect(menu.match(/^[ ❯] \S.*$/gm)?.map((line) => line.slice(2).trim())).toEqual([
      'Register',
      'Log in',
      'Quit',
    ]);
    session.press('Down', 'Enter'); // Log in
    await session.waitFor(/Email:/);
    session.press('C-c'); // cancels the login: the home is back
    await session.waitForVisible(/What do you want to do\?/);
    session.press('Up', 'Down', 'Down', 'Enter'); // Quit
    expect(await session.exitCode()).toBe(0);
  });

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
