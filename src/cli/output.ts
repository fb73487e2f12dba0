import type { Writable } from 'node:stream';
import { stripControl } from '../core/sanitize.js';

export interface TerminalStream extends Writable {
  isTTY?: boolean;
  columns?: number;
}

export interface OutputOptions {
  json: boolean;
  verbose: boolean;
  color: boolean;
}

type Style = (text: string) => string;
const plain: Style = (text) => text;
const sgr =
  (open: number, close: number): Style =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;

/**
 * Everything the commands print goes through here: data to stdout (JSON alone under --json),
 * messages to stderr. Styling is a handful of SGR codes rather than a colour library because
 * every command pays for what this module loads.
 */
export class Output {
  readonly style: { bold: Style; dim: Style; green: Style; yellow: Style; red: Style; cyan: Style };

  constructor(
    readonly stdout: TerminalStream,
    readonly stderr: TerminalStream,
    readonly options: OutputOptions,
  ) {
    const on = options.color;
    this.style = {
      bold: on ? sgr(1, 22) : plain,
      dim: on ? sgr(2, 22) : plain,
      green: on ? sgr(32, 39) : plain,
      yellow: on ? sgr(33, 39) : plain,
      red: on ? sgr(31, 39) : plain,
      cyan: on ? sgr(36, 39) : plain,
    };
  }

  get json(): boolean {
    return this.options.json;
  }

  /** A line of human output on stdout; suppressed under --json so stdout stays parseable. */
  line(text = ''): void {
    if (!this.options.json) this.stdout.write(`${text}\n`);
  }

  /** The machine-readable result of a command. */
  data(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  info(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  success(text: string): void {
    if (!this.options.json) this.stdout.write(`${this.style.green('✓')} ${text}\n`);
  }

  warn(text: string): void {
    this.stderr.write(`${this.style.yellow('warning:')} ${text}\n`);
  }

  error(text: string): void {
    this.stderr.write(`${this.style.red('error:')} ${stripControl(text, { keepNewlines: true })}\n`);
  }

  verbose(text: string): void {
    if (this.options.verbose) this.stderr.write(`${this.style.dim(text)}\n`);
  }
}

/** Colour only on a terminal that wants it: NO_COLOR, --no-color, TERM=dumb and pipes all turn it off. */
export function colorWanted(stream: TerminalStream, env: NodeJS.ProcessEnv, flag: boolean): boolean {
  if (!flag || env.NO_COLOR !== undefined || env.TERM === 'dumb') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
