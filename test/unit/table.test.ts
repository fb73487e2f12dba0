import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { drawableAlike, drawTable, drawWithCliTable3, type TableCell } from '../../src/cli/render/table.js';

/**
 * djs draws its tables itself (cli-table3's start-up cost was most of a `search`), and must draw them
 * byte for byte as cli-table3 did: every table made of text drawTable measures alike is drawn both ways
 * and compared, cut short and hyperlinked included.
 */

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % below;
  };
}

const CHARACTERS = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...' .,:;!?()[]{}<>/\\|@#$%^&*+=~`\'"-_',
  ...'éüßñçøÅ©®°±µ¶·¿×÷\u00a0',
  '\u0301', // a combining accent: no width
  ...'αβγδΩжщЯאבג',
  ...'–—‘’“”…•€₹‼\u200d\u2009',
];

const URLS = [
  'https://www.linkedin.com/jobs/view/4100000001/',
  'https://jobs.example/apply?id=7&src=djs;x',
  // Characters the ANSI pattern does not expect inside a hyperlink: cli-table3 then mis-measures the cell.
  'https://jobs.example/a+b,c!(d)*',
];

const boldOn = new Chalk({ level: 1 }).bold;
const boldOff = (text: string): string => text;

function text(next: (below: number) => number, longest: number): string {
  return Array.from({ length: next(longest + 1) }, () => CHARACTERS[next(CHARACTERS.length)]!).join('');
}

describe('drawTable', () => {
  it('draws every table cli-table3 measures alike exactly as cli-table3 does', async () => {
    const next = random(14);
    for (let round = 0; round < 1500; round++) {
      const columns = 1 + next(5);
      const head = Array.from({ length: columns }, () => text(next, 12));
      const rows: TableCell[][] = Array.from({ length: next(4) }, () =>
        Array.from({ length: columns }, (): TableCell => {
          const content = text(next, 30);
          return next(4) === 0 ? { content, href: URLS[next(URLS.length)]! } : content;
        }),
      );
      const widths = Array.from({ length: columns }, () => 1 + next(25));
      const bold = next(2) === 0 ? boldOn : boldOff;
      expect(drawableAlike(head, rows)).toBe(true);
      const context = JSON.stringify({ round, head, rows, widths, colour: bold === boldOn });
      expect(drawTable(head, rows, widths, bold), context).toBe(
        await drawWithCliTable3(head, rows, widths, bold),
      );
    }
  });

  it('leaves emoji, East Asian wide characters and line breaks to cli-table3', () => {
    for (const cell of ['Team 🚀', '東京', 'Zwei\nZeilen', 'Tab\there', '\u001b[31mred\u001b[39m'])
      expect(drawableAlike(['Title'], [[cell]]), cell).toBe(false);
    expect(drawableAlike(['Title'], [[{ content: 'x', href: 'https://jobs.example/🚀' }]])).toBe(false);
    expect(drawableAlike(['Title'], [['Köln – Büro, 5 000 €/Monat…']])).toBe(true);
  });
});
