import { emitKeypressEvents } from 'node:readline';
import type { ReadStream } from 'node:tty';
import type { InputStream } from './context.js';

export interface Key {
  /** readline's name of the key: 'a', 'return', 'escape', 'up' … */
  name?: string;
  ctrl?: boolean;
  sequence?: string;
}

/**
 * Waits for one key press on a terminal, without Enter (raw mode for the wait only). Ctrl-C arrives as a
 * key ({ ctrl: true, name: 'c' }), not as SIGINT, so the caller decides what it means.
 */
export function readKey(stdin: InputStream): Promise<Key> {
  const terminal = stdin as InputStream & Partial<Pick<ReadStream, 'setRawMode'>>;
  emitKeypressEvents(stdin);
  terminal.setRawMode?.(true);
  stdin.resume();
  return new Promise((resolve) => {
    stdin.once('keypress', (sequence: string | undefined, key: Key | undefined) => {
      terminal.setRawMode?.(false);
      stdin.pause();
      resolve({ ...key, sequence: key?.sequence ?? sequence });
    });
  });
}

export const isCtrlC = (key: Key): boolean => key.ctrl === true && key.name === 'c';

/** Clears the terminal and puts the cursor top left: each card and each visit of the home starts clean. */
export function clearScreen(stdout: NodeJS.WritableStream): void {
  stdout.write('\u001b[H\u001b[2J');
}
