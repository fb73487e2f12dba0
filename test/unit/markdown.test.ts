import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Token } from 'marked';
import { describe, expect, it, vi } from 'vitest';
import { layOutMarkdown, markdownSource, renderMarkdown } from '../../src/cli/render/markdown.js';
import { lexCommonMarkdown } from '../../src/cli/render/markdown-lexer.js';
import { makeRng } from '../../src/fakes/linkedin-server.js';
import { parseAshbyBoard } from '../../src/sources/ashby/parse.js';
import { parseArbeitnowPage } from '../../src/sources/arbeitnow/parse.js';
import { parseGreenhouseBoard } from '../../src/sources/greenhouse/parse.js';
import { parseLeverPostings } from '../../src/sources/lever/parse.js';
import { parseJobPosting } from '../../src/sources/linkedin/parse.js';
import { parseRecruiteeOffers } from '../../src/sources/recruitee/parse.js';
import { parseRemoteOk } from '../../src/sources/remoteok/parse.js';
import { parseRemotive } from '../../src/sources/remotive/parse.js';
import { parseWorkableAccount } from '../../src/sources/workable/parse.js';
import type { ListedPosting } from '../../src/jobs/model.js';
import { realCaptures, REAL_FIXTURES } from '../helpers/boards.js';

/**
 * `jobs show` reads most descriptions with its own lexer (src/cli/render/markdown-lexer.ts) and leaves
 * the rest to marked: whatever the own lexer accepts must come out byte for byte as marked's tokens would.
 */

const loadedModules = vi.hoisted(() => new Set<string>());
vi.mock('marked', async (importOriginal) => {
  loadedModules.add('marked');
  return importOriginal();
});

const bold = (text: string): string => `\u001b[1m${text}\u001b[22m`;

/** Loaded by the tests after the one that checks marked is not loaded for plain text. */
const marked = async () => await import('marked');

/** Both ways at two widths; null when the own lexer leaves the text to marked. */
async function renderedBothWays(markdown: string): Promise<{ own: string; marked: string } | null> {
  const source = markdownSource(markdown);
  const tokens = lexCommonMarkdown(source);
  if (tokens === null) return null;
  const { Lexer } = await marked();
  const both = (lex: () => Token[]) =>
    [100, 31].map((width) => layOutMarkdown(lex(), { width, bold })).join('\n=====\n');
  return { own: both(() => lexCommonMarkdown(source)!), marked: both(() => new Lexer().lex(source)) };
}

/** Every description the real captures give through the real parsers (stored as update-db stores them). */
function realDescriptions(): string[] {
  const board = (kind: Parameters<typeof realCaptures>[0], parse: (json: unknown) => ListedPosting[]) =>
    realCaptures(kind).flatMap(({ json }) => {
      try {
        return parse(json).map((posting) => posting.description);
      } catch {
        return []; // a capture of an error answer
      }
    });
  const linkedInFolder = join(REAL_FIXTURES, 'linkedin-detail');
  const linkedIn = existsSync(linkedInFolder)
    ? readdirSync(linkedInFolder).map(
        (file) =>
          parseJobPosting(readFileSync(join(linkedInFolder, file), 'utf8'), { now: new Date() }).posting
            ?.descriptionMarkdown,
      )
    : [];
  return [
    ...board('greenhouse', (json) => parseGreenhouseBoard(json, 'board')),
    ...board('lever', (json) => parseLeverPostings(json, 'site')),
    ...board('ashby', (json) => parseAshbyBoard(json, 'board')),
    ...board('recruitee', (json) => parseRecruiteeOffers(json, 'company')),
    ...board('workable', (json) => parseWorkableAccount(json, 'account')),
    ...board('remotive', parseRemotive),
    ...board('arbeitnow', (json) => parseArbeitnowPage(json).postings),
    ...board('remoteok', parseRemoteOk),
    ...linkedIn,
  ].filter((description): description is string => typeof description === 'string');
}

/** Pieces random Markdown is made of: what turndown writes, and what sits at the edges of the own lexer. */
const WORDS = [
  'Python',
  'data',
  'SQL',
  'the',
  'team',
  'Berlin',
  'café',
  '10+',
  '$120k',
  '(remote)',
  'a-b',
  'x',
];
const EDGES = [
  '**Bold**',
  '**two words**',
  '**ends:**',
  '**(paren)**',
  '_em_',
  '_two words_',
  '**',
  '*',
  '_',
  '__',
  '***',
  'snake_case',
  'a*b*c',
  '\\*',
  '\\_',
  '\\.',
  '\\-',
  '\\#',
  '\\',
  '\\a',
  '[site](https://acme.example/jobs)',
  '[https://x.example](https://x.example)',
  '[a](mailto:a@b.example)',
  '[label](https://x.example/a_b?c=d&e=f)',
  '[no link]',
  '[a](b c)',
  '![img](https://x.example/i.png)',
  'https://acme.example/a.',
  'www.acme.example',
  'mail@acme.example',
  '~20%',
  '~~gone~~',
  '`code`',
  '<b>',
  'a | b',
  '&amp;',
  '&#39;',
  ':',
  '.',
  ',',
  '!',
  '?',
  '"',
  '’',
  '\u00a0',
];
const COMMON_STARTS = ['', '', '', '- ', '- ', '  - ', '    - ', '1. ', '2. ', '   - ', '## '];
const ODD_STARTS = [
  '10. ',
  '# ',
  '###### ',
  '#',
  '* ',
  '+ ',
  '> ',
  '    ',
  ' ',
  '1) ',
  '---',
  '===',
  '[x]: ',
  '- [ ] ',
];

/** Mostly plain words; how often an edge piece or an odd line start comes varies from text to text. */
function randomMarkdown(random: () => number): string {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const odd = random() * 0.15;
  const lines: string[] = [];
  const lineCount = 1 + Math.floor(random() * 8);
  for (let i = 0; i < lineCount; i++) {
    if (random() < 0.2) {
      lines.push('');
      continue;
    }
    const words = Array.from({ length: 1 + Math.floor(random() * 7) }, () =>
      random() < odd ? pick(EDGES) : pick(WORDS),
    );
    const glue = random() < 1 - odd / 2 ? ' ' : pick(['', '  ', '\n']);
    const start = random() < odd ? pick(ODD_STARTS) : pick(COMMON_STARTS);
    const end = random() < odd / 4 ? pick([' ', '  ', '\\', ' #']) : '';
    lines.push(start + words.join(glue) + end);
  }
  return lines.join('\n');
}

describe('the own Markdown lexer', () => {
  // First: the other tests load marked.
  it('jobs show renders a plain description without loading marked, and the rest with it', async () => {
    const plain =
      '## About\n\nWe build **data pipelines** in _Python_.\n\n- SQL\n  - dbt\n\n1. [Apply](https://x.example)';
    expect(await renderMarkdown(plain, { width: 60 })).toContain('• SQL');
    expect(loadedModules.has('marked')).toBe(false);
    expect(await renderMarkdown('See `code` and https://acme.example.', { width: 60 })).toBe(
      '  See code and https://acme.example.',
    );
    expect(loadedModules.has('marked')).toBe(true);
  });

  const real = existsSync(REAL_FIXTURES) ? realDescriptions() : [];
  it.skipIf(real.length === 0)('renders every real description it accepts exactly as marked', async () => {
    let accepted = 0;
    for (const description of real) {
      const both = await renderedBothWays(description);
      if (both === null) continue;
      accepted++;
      expect(both.own, description.slice(0, 200)).toBe(both.marked);
    }
    expect(real.length).toBeGreaterThan(1000);
    // Most real postings never load marked (at writing: 726 of 1,222).
    expect(accepted / real.length).toBeGreaterThan(0.5);
  });

  it('renders 30,000 seeded random Markdown texts it accepts exactly as marked', async () => {
    const random = makeRng(20260301);
    let accepted = 0;
    for (let i = 0; i < 30_000; i++) {
      const markdown = randomMarkdown(random);
      const both = await renderedBothWays(markdown);
      if (both === null) continue;
      accepted++;
      expect(both.own, JSON.stringify(markdown)).toBe(both.marked);
    }
    // The generator reaches both sides of the edges, not just the fallback.
    expect(accepted).toBeGreaterThan(2000);
  });
});
