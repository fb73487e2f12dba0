import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output } from '../../src/cli/output.js';
import { stripControl } from '../../src/core/sanitize.js';

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_BUT_TAB_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('stripControl', () => {
  it('removes CSI sequences (colours, cursor moves, erase)', () => {
    expect(stripControl('\u001b[31mred\u001b[0m and \u001b[1;32mbold green\u001b[m')).toBe(
      'red and bold green',
    );
    expect(stripControl('a\u001b[2J\u001b[Hb\u001b[10;20Hc\u001b[?25l')).toBe('abc');
  });

  it('removes OSC sequences ended by BEL or ST, and an unterminated one to the end', () => {
    expect(stripControl('x\u001b]0;evil title\u0007y')).toBe('xy');
    expect(stripControl('\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\')).toBe('click');
    expect(stripControl('safe\u001b]52;c;ZXZpbA==')).toBe('safe');
  });

  it('removes two-character escapes and any lone ESC', () => {
    expect(stripControl('a\u001bMb\u001b7c\u001bcd')).not.toMatch(CONTROL);
    expect(stripControl('a\u001bMb')).toBe('ab');
    expect(stripControl('end\u001b', { keepNewlines: true })).toBe('end');
  });

  it('removes C0 and C1 controls and DEL', () => {
    expect(stripControl('a\u0000b\u0007c\u0008d\u007fe\u0085f\u009bg\u009dh', { keepNewlines: true })).toBe(
      'abcdefgh',
    );
    expect(stripControl('over\rwrite', { keepNewlines: true })).toBe('overwrite');
  });

  it('keeps tab and newline only when asked; otherwise every control becomes a space', () => {
    expect(stripControl('line 1\nline 2\tend', { keepNewlines: true })).toBe('line 1\nline 2\tend');
    expect(stripControl('line 1\nline 2\tend\u0007')).toBe('line 1 line 2 end ');
  });

  it('keeps ordinary text, including non-ASCII', () => {
    const text = 'Zürich — Senior Engineer (m/w/d) 😀 [remote] 100%';
    expect(stripControl(text)).toBe(text);
  });

  it('never lets a control character through, whatever the input', () => {
    const alphabet = [
      '\u001b',
      '[',
      ']',
      '\\',
      '\u0007',
      '\u009b',
      '\u009d',
      '\n',
      '\t',
      '\r',
      '\u0000',
      'a',
      '0',
      ';',
      'm',
      'é',
    ];
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 2000; i++) {
      const input = Array.from(
        { length: 1 + Math.floor(random() * 20) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      expect(stripControl(input)).not.toMatch(CONTROL);
      expect(stripControl(input, { keepNewlines: true })).not.toMatch(CONTROL_BUT_TAB_NEWLINE);
    }
  });
});

describe('Output.error', () => {
  it('sanitises the message it prints', () => {
    let text = '';
    const stderr = new PassThrough();
    stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const out = new Output(new PassThrough(), stderr, { json: false, verbose: false, color: false });
    out.error('"\u001b]0;pwned\u0007\u001b[2Jx@y" is not a valid email address.');
    expect(text).toBe('error: "x@y" is not a valid email address.\n');
  });
});
