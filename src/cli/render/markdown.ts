import type { Token, Tokens } from 'marked';
import { stripControl } from '../../core/sanitize.js';
import { lexCommonMarkdown } from './markdown-lexer.js';

export interface MarkdownOptions {
  width: number;
  bold?: (text: string) => string;
}

const SGR = /\u001b\[[0-9;]*m/g;
const visibleLength = (text: string): number => [...text.replace(SGR, '')].length;

/**
 * The Markdown that update-db stores (turndown's) → plain terminal text: headings and bold in bold, bullets
 * as •, numbered lists, links as "text (url)", paragraphs wrapped to `width` with list items hanging.
 * Parsing (escapes, emphasis, nesting) is marked's lexer's; this only lays its tokens out. The common plain
 * descriptions are read by lexCommonMarkdown into the very tokens marked would make, and marked is only
 * loaded for the rest: its set-up costs more than all the rest of `jobs show`. marked-terminal would do
 * both, but it loads highlight.js (several MB, ~100 ms). Control characters are removed before parsing,
 * so no token can carry one.
 */
export async function renderMarkdown(markdown: string, options: MarkdownOptions): Promise<string> {
  const source = markdownSource(markdown);
  const tokens = lexCommonMarkdown(source) ?? new (await import('marked')).Lexer().lex(source);
  return layOutMarkdown(tokens, options);
}

/** What is parsed of a stored description: no control characters, tabs as four spaces. */
export function markdownSource(markdown: string): string {
  return stripControl(markdown, { keepNewlines: true }).replace(/\t/g, '    ');
}

/** Lexed Markdown (marked's tokens) laid out as terminal text. */
export function layOutMarkdown(tokens: Token[], options: MarkdownOptions): string {
  const renderer = new TerminalMarkdown(Math.max(20, options.width), options.bold ?? ((text) => text));
  renderer.blocks(tokens, 0);
  return renderer.text();
}

class TerminalMarkdown {
  private readonly lines: string[] = [];

  constructor(
    private readonly width: number,
    private readonly bold: (text: string) => string,
  ) {}

  text(): string {
    while (this.lines.at(-1) === '') this.lines.pop();
    return this.lines.join('\n');
  }

  /** Block tokens at list depth `depth` (0 outside lists): each block starts at the depth's indent. */
  blocks(tokens: Token[], depth: number): void {
    const indent = '  '.repeat(1 + Math.min(3, depth));
    for (const token of tokens) {
      switch (token.type) {
        case 'space':
          if (this.lines.length > 0 && this.lines.at(-1) !== '') this.lines.push('');
          break;
        case 'heading':
          this.lines.push(`${indent}${this.bold(this.inline(token.tokens ?? []))}`);
          break;
        case 'hr':
          this.lines.push(`${indent}${'─'.repeat(Math.min(40, this.width - 2))}`);
          break;
        case 'list':
          this.list(token as Tokens.List, depth);
          break;
        case 'blockquote':
          this.blocks(token.tokens ?? [], depth);
          break;
        case 'paragraph':
        case 'text':
          this.wrap(token.tokens ? this.inline(token.tokens) : token.text, indent, indent);
          break;
        case 'table':
          for (const row of [(token as Tokens.Table).header, ...(token as Tokens.Table).rows])
            this.wrap(row.map((cell) => this.inline(cell.tokens)).join(' | '), indent, indent);
          break;
        case 'def':
          break;
        default:
          // Code blocks, raw HTML: their text, as a paragraph (a posting has nothing to highlight).
          this.wrap('text' in token ? String(token.text) : token.raw, indent, indent);
      }
    }
  }

  private list(list: Tokens.List, depth: number): void {
    const indent = '  '.repeat(1 + Math.min(3, depth));
    list.items.forEach((item, index) => {
      const marker = list.ordered ? `${Number(list.start || 1) + index}. ` : '• ';
      const [first, ...rest] = item.tokens;
      const hanging = `${indent}${' '.repeat(marker.length)}`;
      if (first && (first.type === 'text' || first.type === 'paragraph')) {
        this.wrap(first.tokens ? this.inline(first.tokens) : first.text, `${indent}${marker}`, hanging);
      } else {
        this.lines.push(`${indent}${marker.trimEnd()}`);
        if (first) rest.unshift(first);
      }
      for (const token of rest) {
        if (token.type === 'list') this.list(token as Tokens.List, depth + 1);
        else if (token.type !== 'space') this.blocks([token], depth + 1);
      }
    });
  }

  private inline(tokens: Token[]): string {
    return tokens
      .map((token): string => {
        switch (token.type) {
          case 'strong':
            return this.bold(this.inline(token.tokens ?? []));
          case 'em':
          case 'del':
            return this.inline(token.tokens ?? []);
          case 'link': {
            const { href } = token as Tokens.Link;
            const label = this.inline(token.tokens ?? []);
            return label === href || label === href.replace(/^mailto:/, '') ? href : `${label} (${href})`;
          }
          case 'image':
            return token.text ? `[image: ${token.text}]` : '';
          case 'br':
            return ' ';
          case 'text':
            return token.tokens ? this.inline(token.tokens) : token.text;
          default:
            // escape, codespan, inline HTML: the characters as written.
            return 'text' in token ? String(token.text) : token.raw;
        }
      })
      .join('');
  }

  /** Words onto lines of at most `width` visible characters: the first line starts with `first`, the rest hang at `rest`. */
  private wrap(text: string, first: string, rest: string): void {
    let line = first;
    let empty = true;
    for (const word of text.split(/[ \n]+/).filter(Boolean)) {
      if (!empty && visibleLength(line) + 1 + visibleLength(word) > this.width) {
        this.lines.push(line);
        line = rest;
        empty = true;
      }
      line += empty ? word : ` ${word}`;
      empty = false;
    }
    if (!empty) this.lines.push(line);
  }
}
