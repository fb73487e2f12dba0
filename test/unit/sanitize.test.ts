import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Context } from '../../src/cli/context.js';
import { Output } from '../../src/cli/output.js';
import { CollectProgressView } from '../../src/cli/progress.js';
import { askText } from '../../src/cli/prompts.js';
import { renderMarkdown } from '../../src/cli/render/markdown.js';
import {
  documentText,
  stripControl,
  terminalSafeJson,
  terminalText,
  webUrl,
} from '../../src/core/sanitize.js';

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

/** What a terminal would act on: ESC, every other C0 control but tab and newline, DEL, C1, bidi controls. */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Each attack the issue names, as a posting could carry it. */
const ATTACKS: Record<string, string> = {
  'OSC 0 (window title), BEL-ended': 'a\u001b]0;PWNED\u0007b',
  'OSC 0, ST-ended': 'a\u001b]0;PWNED\u001b\\b',
  'OSC 52 (clipboard)': 'a\u001b]52;c;cm0gLXJmIH4=\u0007b',
  'OSC 8 (hidden hyperlink)': 'a\u001b]8;;https://evil.example\u0007b\u001b]8;;\u0007',
  'CSI (erase screen, cursor home)': 'a\u001b[2J\u001b[Hb',
  'C1 CSI U+009B': 'a\u009b31mb\u009b2J',
  'C1 OSC U+009D': 'a\u009d0;PWNED\u009cb',
  'bidi override U+202E': 'a\u202etxt.exe\u202cb',
  'bidi isolates U+2066–U+2069': 'a\u2066\u2067\u2068b\u2069',
  'carriage return overwrite': 'apply here\rb',
};

describe('terminalText', () => {
  for (const [name, attack] of Object.entries(ATTACKS)) {
    it(`removes ${name}`, () => {
      const safe = terminalText(attack);
      expect(safe).not.toMatch(TERMINAL_UNSAFE);
      expect(safe.startsWith('a')).toBe(true);
      expect(safe).toContain('b');
    });
  }

  it('keeps text, tabs and newlines, and right-to-left script (only the explicit bidi controls go)', () => {
    expect(terminalText('Zürich\tשלום עולם\nمرحبا 😀')).toBe('Zürich\tשלום עולם\nمرحبا 😀');
  });

  it('lets through only the SGR parameters and hyperlink targets it is told are ours', () => {
    const trusted = { sgrParameters: new Set([1, 22]), hyperlinks: new Set(['https://ok.example/1']) };
    expect(terminalText('\u001b[1mbold\u001b[22m \u001b[5mblink\u001b[25m \u001b[1;8mhidden', trusted)).toBe(
      '\u001b[1mbold\u001b[22m blink hidden',
    );
    const ours = '\u001b]8;;https://ok.example/1\u0007id\u001b]8;;\u0007';
    expect(terminalText(ours, trusted)).toBe(ours);
    expect(terminalText('\u001b]8;;https://evil.example\u0007id\u001b]8;;\u0007', trusted)).toBe(
      'id\u001b]8;;\u0007',
    );
    // An OSC that swallows one of our codes is still removed whole, up to where our code starts.
    expect(terminalText('\u001b]0;PWNED\u001b[1mx\u0007', trusted)).toBe('\u001b[1mx');
  });
});

describe('renderMarkdown and the private-use characters it sets escapes aside in', () => {
  it('never turns a private-use character from the posting into a control character', async () => {
    const description = 'Hello \ue01b]0;PWNED\ue007 and \ue01b]52;c;ZXZpbA==\ue007 and \ue01b[2J done';
    const text = await renderMarkdown(description, { width: 80 });
    expect(text).not.toMatch(TERMINAL_UNSAFE);
    expect(text).toContain('\ue01b]0;PWNED\ue007');
  });

  it('still puts escaped Markdown punctuation back as the plain character', async () => {
    expect(await renderMarkdown('2 \\* 3 \\_not em\\_ C\\+\\+ \\[x\\]', { width: 80 })).toBe(
      '  2 * 3 _not em_ C++ [x]',
    );
  });
});

describe('terminalSafeJson', () => {
  it('writes C1, DEL and bidi controls as \\u escapes: same value, no unsafe byte', () => {
    const value = { title: `x${Object.values(ATTACKS).join('|')}\u0085\u007f`, n: 1, none: null };
    const json = terminalSafeJson(value);
    expect(json).not.toMatch(TERMINAL_UNSAFE);
    expect(json).toContain('\\u009b');
    expect(json).toContain('\\u202e');
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('documentText', () => {
  it('keeps CRLF record ends but no lone carriage return or escape', () => {
    expect(documentText('a,b\r\n"x\ry\u001b]0;t\u0007\u202e",z\r\n')).toBe('a,b\r\n"xy",z\r\n');
  });
});

describe('webUrl', () => {
  it('keeps http and https URLs and drops every other scheme', () => {
    expect(webUrl('https://jobs.example/apply?id=1')).toBe('https://jobs.example/apply?id=1');
    expect(webUrl('http://jobs.example/')).toBe('http://jobs.example/');
    for (const bad of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,x',
      'ftp://x',
      'not a url',
      '',
      null,
    ]) {
      expect(webUrl(bad)).toBeNull();
    }
  });
});

function capture(): { stream: PassThrough; text: () => string } {
  let text = '';
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, text: () => text };
}

describe('Output', () => {
  it('sanitises the message error prints', () => {
    const stderr = capture();
    const out = new Output(new PassThrough(), stderr.stream, { json: false, verbose: false, color: false });
    out.error('"\u001b]0;pwned\u0007\u001b[2Jx@y" is not a valid email address.');
    expect(stderr.text()).toBe('error: "x@y" is not a valid email address.\n');
  });

  for (const color of [false, true]) {
    it(`sanitises every method's text last, keeping only its own colour codes (colour ${color ? 'on' : 'off'})`, () => {
      const stdout = capture();
      const stderr = capture();
      const out = new Output(stdout.stream, stderr.stream, { json: false, verbose: true, color });
      for (const attack of Object.values(ATTACKS)) {
        out.line(out.style.bold(attack));
        out.success(attack);
        out.info(attack);
        out.warn(attack);
        out.error(attack);
        out.verbose(attack);
        out.stderr.write(out.liveText(attack));
        out.document(`${attack}\r\n`);
      }
      const written = stdout.text() + stderr.text();
      const withoutOurs = written
        .replace(/\u001b\[(?:1|2|22|31|32|33|36|39)m/g, '')
        .replaceAll('\r\u001b[2K', '')
        .replaceAll('\r\n', '\n');
      expect(withoutOurs).not.toMatch(TERMINAL_UNSAFE);
      expect(written.includes('\u001b[1m')).toBe(color);
      expect(stderr.text()).toContain(color ? '\u001b[33mwarning:\u001b[39m' : 'warning:');
    });
  }

  it('data: JSON with unsafe characters escaped, parsing back to the same value', () => {
    const stdout = capture();
    const out = new Output(stdout.stream, new PassThrough(), { json: true, verbose: false, color: false });
    const rows = Object.values(ATTACKS).map((title) => ({ title }));
    out.data(rows);
    expect(stdout.text()).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(JSON.parse(stdout.text())).toEqual(rows);
  });

  it('hyperlink: only http(s) URLs without spaces or controls, and only with colour on', () => {
    const on = new Output(new PassThrough(), new PassThrough(), { json: false, verbose: false, color: true });
    expect(on.hyperlink('https://www.linkedin.com/jobs/view/1/')).toBe(true);
    expect(on.hyperlink('javascript:alert(1)')).toBe(false);
    expect(on.hyperlink('https://x.example/\u0007')).toBe(false);
    const off = new Output(new PassThrough(), new PassThrough(), {
      json: false,
      verbose: false,
      color: false,
    });
    expect(off.hyperlink('https://www.linkedin.com/jobs/view/1/')).toBe(false);
  });
});

describe('terminal paths outside Output', () => {
  const context = (tty: boolean) => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stdout = capture();
    const stderr = capture();
    Object.assign(stderr.stream, { isTTY: tty, columns: 200 });
    const io = { stdin, stdout: stdout.stream, stderr: stderr.stream };
    const options = { json: false, verbose: false, color: false };
    return { ctx: new Context(io, { DJS_HOME: '/nonexistent' }, options), stdin, stdout, stderr };
  };

  for (const tty of [false, true]) {
    it(`the update-db progress view (${tty ? 'live line' : 'log lines'})`, () => {
      const { ctx, stderr } = context(tty);
      const view = new CollectProgressView(ctx);
      for (const attack of Object.values(ATTACKS)) view.log(`posting failed: ${attack}`);
      view.finish();
      expect(stderr.text().replaceAll('\r\u001b[2K', '')).not.toMatch(TERMINAL_UNSAFE);
      expect(stderr.text()).toContain('posting failed: a');
    });
  }

  it('prompts: the question, its default and a validation message', async () => {
    const { ctx, stdin, stdout } = context(true);
    // Typed a line at a time, as a person would, each once the prompt shows what it answers: "x" is
    // refused (and stays in the line), "xyes" is taken.
    const shown = async (text: string): Promise<void> => {
      while (!stdout.text().includes(text)) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    const answering = askText(ctx, `Title ${ATTACKS['OSC 52 (clipboard)']}?`, {
      default: ATTACKS['OSC 0 (window title), BEL-ended'],
      validate: (value) =>
        value === 'x' ? `"${value}" \u001b]8;;https://evil.example\u0007is\u202e wrong` : true,
    });
    await shown('Title');
    stdin.write('x\n');
    await shown('is wrong');
    stdin.write('yes\n');
    const answer = await answering;
    expect(answer).toBe('xyes');
    // Inquirer draws with its own cursor and colour codes (CSI); no OSC, BEL, C1 or bidi control gets in.
    expect(stdout.text()).not.toMatch(/\u001b\]|[\u0007\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(stdout.text()).toContain('is wrong');
  }, 5000);
});
