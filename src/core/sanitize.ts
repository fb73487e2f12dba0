/**
 * Text from the network must never drive the terminal: strip ANSI/OSC escape sequences and C0/C1 control
 * characters (keeping tab and newline when asked), so a posting cannot move the cursor, retitle the
 * window, write the clipboard or hide a link. Every output path calls one of the functions below right
 * before it writes, so no rendering step in between can bring a control code back.
 */
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
const CONTROL_KEEP_NEWLINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Bidi embeddings, overrides and isolates: they reorder what follows on screen ("Trojan Source"). */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g;
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Whether text holds a C0 or C1 control character (newline and tab included): input djs refuses. */
export function hasControlCharacter(text: string): boolean {
  return ANY_CONTROL.test(text);
}

export function stripControl(text: string, { keepNewlines = false } = {}): string {
  const withoutEscapes = text.replace(ESCAPE_SEQUENCE, '');
  return withoutEscapes.replace(keepNewlines ? CONTROL_KEEP_NEWLINES : CONTROL_ALL, keepNewlines ? '' : ' ');
}

/** The sequences djs itself writes and a terminal sink lets through; everything else is stripped. */
export interface TrustedSequences {
  /** SGR parameters our own styling uses (bold, colours and their resets); empty when colour is off. */
  sgrParameters: ReadonlySet<number>;
  /** Targets of OSC 8 hyperlinks djs chose to emit (each checked to be an http(s) URL). */
  hyperlinks: ReadonlySet<string>;
}

const NOTHING_TRUSTED: TrustedSequences = { sgrParameters: new Set(), hyperlinks: new Set() };
const SGR_OR_HYPERLINK = /\u001b\[[0-9;]*m|\u001b\]8;;[^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
const HYPERLINK_OPEN = /^\u001b\]8;;([^\u0007\u001b]*)(?:\u0007|\u001b\\)$/;

function isTrusted(sequence: string, trusted: TrustedSequences): boolean {
  if (sequence.endsWith('m') && sequence.startsWith('\u001b[')) {
    const parameters = sequence.slice(2, -1).split(';');
    return parameters.every((p) => p !== '' && trusted.sgrParameters.has(Number(p)));
  }
  const target = HYPERLINK_OPEN.exec(sequence)?.[1];
  if (target === undefined) return false;
  return target === '' ? trusted.hyperlinks.size > 0 : trusted.hyperlinks.has(target);
}

/**
 * Text as it may reach a terminal: escape sequences, C0/C1 controls (but tab and newline) and bidi controls
 * removed, except the exact SGR and hyperlink sequences listed in `trusted` (djs's own styling).
 */
export function terminalText(text: string, trusted: TrustedSequences = NOTHING_TRUSTED): string {
  let safe = '';
  let from = 0;
  for (const match of text.matchAll(SGR_OR_HYPERLINK)) {
    if (!isTrusted(match[0], trusted)) continue;
    safe += untrustedText(text.slice(from, match.index)) + match[0];
    from = match.index + match[0].length;
  }
  return safe + untrustedText(text.slice(from));
}

function untrustedText(text: string): string {
  return stripControl(text, { keepNewlines: true }).replace(BIDI_CONTROL, '');
}

/**
 * A whole document for stdout (CSV, a completion script): as terminalText, except that CRLF line ends are
 * kept (RFC 4180). A lone carriage return, which would let a later field overwrite an earlier one on
 * screen, is removed.
 */
export function documentText(text: string): string {
  return text
    .split('\r\n')
    .map((line) => terminalText(line))
    .join('\r\n');
}

/** Characters JSON.stringify leaves raw that a terminal acts on: DEL, C1 controls and bidi controls. */
const JSON_UNSAFE = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON.stringify, with every character a terminal would act on written as a \uXXXX escape: the parsed
 * value is exactly the same, but the bytes are safe to print (C0 controls JSON escapes already).
 */
export function terminalSafeJson(value: unknown): string {
  return (JSON.stringify(value, null, 2) ?? 'null').replace(
    JSON_UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A URL a person may safely be shown or sent to: http: or https: only (not javascript:, file:, data: …). */
export function webUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:' ? value : null;
  } catch {
    return null;
  }
}
