/**
 * Scraped text must never drive the terminal: strip ANSI/OSC escape sequences and C0/C1 control
 * characters (keeping tab and newline when asked), so a posting cannot move the cursor, retitle the
 * window or hide text.
 */
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
const CONTROL_KEEP_NEWLINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f]/g;

export function stripControl(text: string, { keepNewlines = false } = {}): string {
  const withoutEscapes = text.replace(ESCAPE_SEQUENCE, '');
  return withoutEscapes.replace(keepNewlines ? CONTROL_KEEP_NEWLINES : CONTROL_ALL, keepNewlines ? '' : ' ');
}
