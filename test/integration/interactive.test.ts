import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DJS_BIN, REPO_ROOT, STRONG_PASSWORD, tempHome } from '../helpers/cli.js';

const tmuxAvailable = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
if (!tmuxAvailable) console.warn('interactive (pseudo-terminal) tests skipped: tmux is not installed.');

/**
 * A real terminal: tmux runs a shell in a pseudo-terminal on a private server, we type into it with
 * send-keys and read the screen with capture-pane, the way a person types and reads.
 */
class Terminal {
  private readonly socket = `djs-test-${process.pid}-${randomBytes(4).toString('hex')}`;

  constructor(private readonly env: Record<string, string>) {}

  private tmux(...args: string[]): string {
    const result = spawnSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', env: this.env });
    if (result.status !== 0) throw new Error(`tmux ${args[0]} failed: ${result.stderr}`);
    return result.stdout;
  }

  start(): void {
    this.tmux(
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-x',
      '120',
      '-y',
      '30',
      '-s',
      'djs',
      '-c',
      REPO_ROOT,
      'bash --norc --noprofile',
    );
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 'djs', '-l', '--', text);
  }

  /** A named key, e.g. Enter or C-c. */
  key(name: string): void {
    this.tmux('send-keys', '-t', 'djs', name);
  }

  enter(): void {
    this.key('Enter');
  }

  line(text: string): void {
    this.type(text);
    this.enter();
  }

  /** Everything shown so far, scrollback included, with wrapped lines joined. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'djs');
  }

  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.screen());
      if (match) return match;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${pattern} on the screen:\n${this.screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits until `pattern` appears for the `n`th time (prompts repeat on the same screen). */
  async waitForCount(pattern: RegExp, n: number, timeoutMs = 20_000): Promise<void> {
    const global = new RegExp(pattern.source, 'g');
    await this.waitFor(new RegExp(`(?:${pattern.source}[\\s\\S]*){${n}}`), timeoutMs).catch(
      (error: Error) => {
        throw new Error(
          `${error.message}\n(wanted ${n}× ${global}, saw ${this.screen().match(global)?.length ?? 0})`,
        );
      },
    );
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { env: this.env });
  }
}

const terminals: Terminal[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.kill();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A shell in a fresh terminal, with a fresh DJS_HOME and the file SecretStore. */
function openTerminal(): { home: string; terminal: Terminal } {
  const { home, cleanup } = tempHome('djs-tty-');
  cleanups.push(cleanup);
  const terminal = new Terminal({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    PS1: '$ ',
    DJS_HOME: home,
    DJS_SECRET_STORE: 'file',
    NO_COLOR: '1',
  });
  terminals.push(terminal);
  terminal.start();
  return { home, terminal };
}

describe.skipIf(!tmuxAvailable)('interactive prompts in a real terminal', () => {
  it('register and login by typing answers; the password never shows on the screen', async () => {
    const { terminal } = openTerminal();
    const djs = `'${process.execPath}' '${DJS_BIN}'`;

    terminal.line(`${djs} register; echo REGISTER_EXIT=$?`);
    await terminal.waitFor(/Email:/);
    terminal.line(' Ada@Example.com');
    await terminal.waitFor(/First name \(optional\):/);
    terminal.line('Ada');
    await terminal.waitFor(/Last name \(optional\):/);
    terminal.line('Lovelace');
    await terminal.waitFor(/Password:/);
    terminal.line(STRONG_PASSWORD);
    await terminal.waitFor(/Repeat the password:/);
    terminal.line(`${STRONG_PASSWORD}x`); // a typo: djs asks for both again
    await terminal.waitFor(/differ/);
    await terminal.waitForCount(/Password:/, 2); // asked again
    terminal.line(STRONG_PASSWORD);
    await terminal.waitForCount(/Repeat the password:/, 2);
    terminal.line(STRONG_PASSWORD);
    const registered = await terminal.waitFor(/REGISTER_EXIT=(\d+)/);
    expect(registered[1], terminal.screen()).toBe('0');
    expect(terminal.screen()).toContain('Account created for ada@example.com');

    terminal.line(`${djs} status --json; echo STATUS_EXIT=$?`);
    const status = await terminal.waitFor(/STATUS_EXIT=(\d+)/);
    expect(status[1]).toBe('0');
    expect(terminal.screen()).toMatch(/"email": "ada@example.com"/);
    expect(terminal.screen()).toMatch(/"loggedIn": true/);

    terminal.line(`${djs} logout; echo LOGOUT_EXIT=$?`);
    expect((await terminal.waitFor(/LOGOUT_EXIT=(\d+)/))[1]).toBe('0');

    terminal.line(`${djs} login; echo LOGIN_EXIT=$?`);
    await terminal.waitForCount(/Email:/, 2);
    terminal.line('ada@example.com');
    await terminal.waitForCount(/Password:/, 3);
    terminal.line(STRONG_PASSWORD);
    // The first login may offer to connect Google; a person who does not want to now answers no.
    const next = await terminal.waitFor(/LOGIN_EXIT=(\d+)|Connect your Google account/);
    if (next[0].startsWith('Connect')) terminal.line('n');
    const loggedIn = await terminal.waitFor(/LOGIN_EXIT=(\d+)/);
    expect(loggedIn[1], terminal.screen()).toBe('0');
    expect(terminal.screen()).toContain('Logged in as ada@example.com');

    terminal.line(`${djs} status --json; echo STATUS2_EXIT=$?`);
    expect((await terminal.waitFor(/STATUS2_EXIT=(\d+)/))[1]).toBe('0');

    const screen = terminal.screen();
    expect(screen).not.toContain(STRONG_PASSWORD);
    expect(screen).not.toContain(STRONG_PASSWORD.slice(0, 6));
    expect(screen).not.toMatch(/\*{4,}/); // not even a mask that shows its length
  });

  it('Ctrl-C at a prompt exits 130 and creates nothing', async () => {
    const { home, terminal } = openTerminal();
    terminal.line(
      `'${process.execPath}' '${DJS_BIN}' register --email ada@example.com; echo EXIT=$?; ls '${home}'`,
    );
    await terminal.waitFor(/First name \(optional\):/);
    terminal.key('C-c');
    const exit = await terminal.waitFor(/EXIT=(\d+)/);
    expect(exit[1], terminal.screen()).toBe('130');
    expect(terminal.screen()).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(terminal.screen()).not.toContain('session.json');
  });
});
