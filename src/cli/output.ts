import { Chalk } from 'chalk';
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
const STYLE_NAMES: StyleName[] = ['bold', 'dim', 'green', 'yellow', 'red', 'cyan'];

/** The SGR parameters chalk writes for our styles (their on and off codes): the only ones the sinks let through. */
function sgrParametersOf(styles: Record<StyleName, Style>): number[] {
  return STYLE_NAMES.flatMap((name) =>
    [...styles[name]('x').matchAll(/\u001b\[(\d+)m/g)].map((match) => Number(match[1])),
  );
}

/**
 * Everything the commands print goes through here: data to stdout (JSON alone under --json),
 * messages to stderr. Styling is chalk's, at the level djs decides (colorWanted: --no-color, NO_COLOR,
 * TERM=dumb, pipes) rather than the one chalk would guess from process.stdout.
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
    // Level 1 (16 colours) is all our styles need; level 0 makes every style return the text unchanged.
    const chalk = new Chalk({ level: options.color ? 1 : 0 });
    this.style = Object.fromEntries(
      STYLE_NAMES.map((name) => [name, (text: string) => chalk[name](text)]),
    ) as Record<StyleName, Style>;
    this.trusted = { sgrParameters: new Set(sgrParametersOf(this.style)), hyperlinks: new Set() };
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

  /** Text for the one live status line on stderr (a spinner's): on one line, sanitised like the rest. */
  liveText(text: string): string {
    return terminalText(text.replaceAll('\n', ' '), this.trusted);
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
