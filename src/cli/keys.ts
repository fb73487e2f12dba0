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

/** What `escapable` returns when the person pressed Esc. */
export const ESCAPED = Symbol('escaped');

/**
 * Runs an inquirer prompt that Esc takes back (inquirer itself ignores Esc): the prompt gets a signal
 * aborted by the Esc key, and ESCAPED comes back instead of an answer.
 */
export async function escapable<T>(
  stdin: InputStream,
  prompt: (signal: AbortSignal) => Promise<T>,
): Promise<T | typeof ESCAPED> {
  const escape = new AbortController();
  const onKey = (_: unknown, key: Key | undefined): void => {
    if (key?.name === 'escape') escape.abort();
  };
  stdin.on('keypress', onKey);
  try {
    return await prompt(escape.signal);
  } catch (error) {
    if (escape.signal.aborted && (error as Error).name === 'AbortPromptError') return ESCAPED;
    throw error;
  } finally {
    stdin.off('keypress', onKey);
  }
}
