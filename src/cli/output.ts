import type { Writable } from 'node:stream';
import {
  documentText,
  terminalSafeJson,
  terminalText,
  webUrl,
  type TrustedSequences,
} from '../core/sanitize.js';
import { setting } from '../core/settings.js';

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
type StyleName = 'bold' | 'dim' | 'green' | 'yellow' | 'red' | 'cyan';
/** SGR parameters (on, off) of each style: the only escape codes of ours that the sinks let through. */
const SGR: Record<StyleName, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  green: [32, 39],
  yellow: [33, 39],
  red: [31, 39],
  cyan: [36, 39],
};
const plain: Style = (text) => text;
const sgr =
  ([open, close]: [number, number]): Style =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;
/** Erases the line the cursor is on and returns to its start: the live progress line is redrawn in place. */
const CLEAR_LINE = '\r\u001b[2K';

/**
 * Everything the commands print goes through here: data to stdout (JSON alone under --json),
 * messages to stderr. Styling is a handful of SGR codes rather than a colour library because
 * every command pays for what this module loads.
 *
 * Each method sanitises the whole string as it writes it (src/core/sanitize.ts): whatever a renderer made
 * of scraped text, only our own SGR codes and the hyperlinks registered with `hyperlink` reach the
 * terminal; every other escape sequence, C0/C1 control and bidi override is removed.
 */
export class Output {
  readonly style: Record<StyleName, Style>;
  private readonly trusted: TrustedSequences & { hyperlinks: Set<string> };

  constructor(
    readonly stdout: TerminalStream,
    readonly stderr: TerminalStream,
    readonly options: OutputOptions,
  ) {
    const on = options.color;
    const names = Object.keys(SGR) as StyleName[];
    this.style = Object.fromEntries(names.map((name) => [name, on ? sgr(SGR[name]) : plain])) as Record<
      StyleName,
      Style
    >;
    this.trusted = {
      sgrParameters: new Set(on ? Object.values(SGR).flat() : []),
      hyperlinks: new Set(),
    };
  }

  get json(): boolean {
    return this.options.json;
  }

  /**
   * Lets the sinks pass an OSC 8 hyperlink to `url` (as cli-table3 writes it for a cell's `href`): true when
   * colour is on and the URL is a plain http(s) one, false when the caller should print no link.
   */
  hyperlink(url: string): boolean {
    if (!this.options.color || webUrl(url) === null || /[^\x21-\x7e]/.test(url)) return false;
    this.trusted.hyperlinks.add(url);
    return true;
  }

  /** A line of human output on stdout; suppressed under --json so stdout stays parseable. */
  line(text = ''): void {
    if (!this.options.json) this.print(this.stdout, `${text}\n`);
  }

  /** The machine-readable result of a command (C1 and bidi controls as \u escapes: same value, safe bytes). */
  data(value: unknown): void {
    this.stdout.write(`${terminalSafeJson(value)}\n`);
  }

  /** A document on stdout as it is (CSV with its CRLF line ends, a completion script), controls removed. */
  document(text: string): void {
    this.stdout.write(documentText(text));
  }

  info(text: string): void {
    this.print(this.stderr, `${text}\n`);
  }

  success(text: string): void {
    if (!this.options.json) this.print(this.stdout, `${this.style.green('✓')} ${text}\n`);
  }

  warn(text: string): void {
    this.print(this.stderr, `${this.style.yellow('warning:')} ${text}\n`);
  }

  error(text: string): void {
    this.print(this.stderr, `${this.style.red('error:')} ${text}\n`);
  }

  verbose(text: string): void {
    if (this.options.verbose) this.print(this.stderr, `${this.style.dim(text)}\n`);
  }

  /** Redraws the one live status line on stderr (a terminal's progress display). */
  redraw(text: string): void {
    this.stderr.write(CLEAR_LINE + terminalText(text.replaceAll('\n', ' '), this.trusted));
  }

  /** Erases the live status line, so that the next message starts on a clean line. */
  clearLine(): void {
    this.stderr.write(CLEAR_LINE);
  }

  private print(stream: TerminalStream, text: string): void {
    stream.write(terminalText(text, this.trusted));
  }
}

/** Colour only on a terminal that wants it: NO_COLOR, --no-color, TERM=dumb and pipes all turn it off. */
export function colorWanted(stream: TerminalStream, env: NodeJS.ProcessEnv, flag: boolean): boolean {
  if (!flag || setting(env, 'NO_COLOR') || setting(env, 'TERM') === 'dumb') return false;
  if (setting(env, 'FORCE_COLOR')) return true;
  return stream.isTTY === true;
}
