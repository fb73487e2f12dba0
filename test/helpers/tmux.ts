import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const tmuxAvailable = spawnSync('tmux', ['-V']).status === 0;

/**
 * A program running in a real pseudo-terminal under tmux, driven like a person: type, press keys,
 * read the screen. Each session has its own tmux server (socket), started with exactly the given
 * environment, and is killed by `close()`.
 */
export class TmuxSession {
  private constructor(private readonly socket: string) {}

  /** Runs `shellCommand` in a pane; afterwards the pane shows `EXIT=<code>` and stays open. */
  static start(
    shellCommand: string,
    env: Record<string, string>,
    size = { width: 200, height: 50 },
  ): TmuxSession {
    const socket = `djs-test-${randomBytes(6).toString('hex')}`;
    execFileSync(
      'tmux',
      [
        '-L',
        socket,
        '-f',
        '/dev/null',
        'new-session',
        '-d',
        '-x',
        String(size.width),
        '-y',
        String(size.height),
        `${shellCommand}; echo EXIT=$?; sleep 600`,
      ],
      { env: { ...env, TERM: 'xterm-256color' } },
    );
    return new TmuxSession(socket);
  }

  /** Types text literally (no key names), as if on a keyboard. */
  type(text: string): void {
    this.tmux('send-keys', '-t', '0', '-l', text);
  }

  /** Presses named keys: Enter, Down, C-c … */
  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', '0', ...keys);
  }

  /** The screen as text, wrapped lines joined. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', '0', '-S', '-200');
  }

  /** Only what is on the screen now, without the scrollback: a redrawn screen is not confused with its past. */
  visible(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', '0');
  }

  async waitForVisible(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    return this.waitFor(pattern, timeoutMs, () => this.visible());
  }

  async waitFor(pattern: RegExp, timeoutMs = 15_000, read = () => this.screen()): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = read();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} on screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The exit code the command ended with. */
  async exitCode(timeoutMs = 30_000): Promise<number> {
    const screen = await this.waitFor(/EXIT=\d+/, timeoutMs);
    return Number(/EXIT=(\d+)/.exec(screen)![1]);
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }
}
