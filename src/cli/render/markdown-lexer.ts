import type { Token, Tokens } from 'marked';

/**
 * The Markdown most stored descriptions are made of (what turndown writes for plain postings) → the tokens
 * marked's lexer would make of it, or null for anything else, which is then left to marked. marked costs
 * `jobs show` tens of milliseconds per process (its module set-up, and V8 compiling its large patterns on
 * first use); this reads the common case in well under one.
 *
 * What it reads, and nothing near its edges: blocks separated by exactly one blank line; a block is one
 * `#`…`######` heading line, a list (`- ` or `N. ` items, nested lists indented under their parent's
 * text, one line per item), or paragraph lines that cannot start any other block. Inline: plain text,
 * backslash escapes, `**strong**` and `_em_` around plain words, `[label](url)` with a plain label. Anything
 * marked would read in more than one way or through rules not copied here (autolinks, `*`, `_` or `~`
 * elsewhere, code, HTML, tables, images, block quotes, hard breaks) gives null. test/unit/markdown.test.ts
 * renders every real description and many random texts both ways and compares them byte for byte.
 */
export function lexCommonMarkdown(source: string): Token[] | null {
  // A numeric character reference (&#39;) is decoded by marked, and then every other & in its text escaped.
  if (source === '' || /^\n|\n$|\n\n\n|\r|&#/.test(source)) return null;
  const tokens: Token[] = [];
  for (const block of source.split('\n\n')) {
    const blockTokens = headingOf(block) ?? [listOf(block.split('\n')) ?? paragraphOf(block)];
    const [first, ...more] = blockTokens;
    if (!first || more.includes(null)) return null;
    const previous = tokens.at(-1);
    if (first.type === 'list' && previous?.type === 'list' && previous.ordered === first.ordered) {
      // A blank line between items of one kind does not end the list (it makes it loose).
      previous.items.push(...first.items);
    } else {
      if (previous) tokens.push({ type: 'space', raw: '\n\n' });
      tokens.push(first);
    }
    tokens.push(...(more as Token[]));
  }
  return tokens;
}

const HEADING = /^(#{1,6}) (\S[^\n]*)$/;
const ITEM = /^( *)(-|\d{1,9}\.) (\S.*)$/;
/** Starts of lines that could open a block other than a paragraph, or continue one in another way. */
const NOT_PLAIN_LINE_START = /^(?:[\s#>+\-=|~`<]|\*(?!\*[^\s*])|_(?![^\s_])|\d+[.)]|\[[^\]]*\]:|\[[ xX]\])/;
/** Line ends that mean a hard break (or a closing heading sequence). */
const NOT_PLAIN_LINE_END = /[\s\\]$/;

/** A heading line, and the paragraph or list right under it (marked needs no blank line there). */
function headingOf(block: string): Token[] | null | undefined {
  if (!block.startsWith('#')) return undefined;
  const [line, ...under] = block.split('\n') as [string, ...string[]];
  const match = HEADING.exec(line);
  if (!match || /#\s*$|\s$/.test(match[2]!)) return null;
  const tokens = inlineTokens(match[2]!);
  if (!tokens) return null;
  const heading: Token = { type: 'heading', raw: line, depth: match[1]!.length, text: match[2]!, tokens };
  if (under.length === 0) return [heading];
  const next = listOf(under) ?? paragraphOf(under.join('\n'));
  return next && [heading, next];
}

function paragraphOf(block: string): Token | null {
  const lines = block.split('\n');
  if (lines.some((line) => !isPlainLine(line))) return null;
  const tokens = inlineTokens(block);
  return tokens && { type: 'paragraph', raw: block, text: block, tokens };
}

const isPlainLine = (line: string): boolean =>
  line !== '' && !NOT_PLAIN_LINE_START.test(line) && !NOT_PLAIN_LINE_END.test(line);

interface Item {
  indent: number;
  ordered: boolean;
  number: number;
  /** Where the item's text starts: a nested list's items are indented exactly this far. */
  contentColumn: number;
  text: string;
}

/** A block of list items only; undefined when it does not start with one, null when marked might differ. */
function listOf(lines: string[]): Token | null | undefined {
  const items: Item[] = [];
  for (const line of lines) {
    const match = ITEM.exec(line);
    if (!match) return items.length === 0 ? undefined : null;
    const [, spaces, marker, text] = match as unknown as [string, string, string, string];
    if (!isPlainLine(text)) return null;
    items.push({
      indent: spaces.length,
      ordered: marker !== '-',
      number: marker === '-' ? 0 : Number(marker.slice(0, -1)),
      contentColumn: spaces.length + marker.length + 1,
      text,
    });
  }
  if (items[0]!.indent !== 0) return null;
  const cursor = { at: 0 };
  const list = listAt(items, cursor, 0);
  return cursor.at === items.length ? list : null;
}

/** The list whose items start at `items[cursor.at]` with `indent`, and the lists nested in them. */
function listAt(items: Item[], cursor: { at: number }, indent: number): Tokens.List | null {
  const first = items[cursor.at]!;
  const listItems: Tokens.ListItem[] = [];
  while (cursor.at < items.length) {
    const item = items[cursor.at]!;
    if (item.indent < indent) break;
    if (item.indent !== indent || item.ordered !== first.ordered) return null;
    const text = inlineTokens(item.text);
    if (!text) return null;
    const tokens: Token[] = [{ type: 'text', raw: item.text, text: item.text, tokens: text }];
    cursor.at++;
    const next = items[cursor.at];
    if (next && next.indent > indent) {
      if (next.indent !== item.contentColumn) return null;
      const nested = listAt(items, cursor, next.indent);
      if (!nested) return null;
      tokens.push(nested);
    }
    listItems.push({ type: 'list_item', raw: item.text, task: false, loose: false, text: item.text, tokens });
  }
  return {
    type: 'list',
    raw: '',
    ordered: first.ordered,
    start: first.ordered ? first.number : '',
    loose: false,
    items: listItems,
  };
}

/** What starts some inline rule of marked's (or a table row): plain text has none of it. */
const SPECIAL = /[\\*_[\]`<|~@]|!\[|:\/\/|www\./i;
const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/;
/** Characters of plain words inside emphasis or a link label: no special ones. */
const WORD = String.raw`[^\s\\*_[\]\`<|~@]`;
const WORDS = String.raw`${WORD}(?:[^\n\\*_[\]\`<|~@]*${WORD})?`;
/** `**strong**` or `_em_` around plain words, from its opening delimiter. */
const EMPHASIS = new RegExp(String.raw`^(\*\*|_)(${WORDS})\1(?=$|[\s.,:;!?)])`);
/** `[label](url)` with a plain label and a url without spaces, brackets or quotes, from its `[`. */
const LINK = new RegExp(String.raw`^\[(${WORDS})\]\(([a-z][a-z0-9+.-]*:[^\s()<>\\"'\`]+)\)`, 'i');

/**
 * The inline tokens of `text`, or null when it holds anything but the plain forms above. Opening
 * delimiters must follow a space or the start, and closing ones come before a space, the end or
 * punctuation, so CommonMark's flanking rules read them only one way.
 */
function inlineTokens(text: string): Token[] | null {
  const tokens: Token[] = [];
  let plain = '';
  const flush = (): void => {
    if (plain !== '') tokens.push({ type: 'text', raw: plain, text: plain });
    plain = '';
  };
  let rest = text;
  while (rest !== '') {
    const special = rest.search(SPECIAL);
    if (special === -1) {
      plain += rest;
      break;
    }
    plain += rest.slice(0, special);
    rest = rest.slice(special);
    const before = plain === '' ? (tokens.length === 0 ? '' : 'x') : plain.at(-1)!;
    const escaped = rest[1];
    if (rest[0] === '\\' && escaped !== undefined && ASCII_PUNCTUATION.test(escaped)) {
      flush();
      tokens.push({ type: 'escape', raw: rest.slice(0, 2), text: escaped });
      rest = rest.slice(2);
      continue;
    }
    const emphasis = (before === '' || /\s/.test(before)) && EMPHASIS.exec(rest);
    if (emphasis && !SPECIAL.test(emphasis[2]!)) {
      flush();
      const inner: Token[] = [{ type: 'text', raw: emphasis[2]!, text: emphasis[2]! }];
      const type = emphasis[1] === '**' ? 'strong' : 'em';
      tokens.push({ type, raw: emphasis[0], text: emphasis[2]!, tokens: inner });
      rest = rest.slice(emphasis[0].length);
      continue;
    }
    const link = LINK.exec(rest);
    if (link && !SPECIAL.test(link[1]!)) {
      flush();
      const label: Token[] = [{ type: 'text', raw: link[1]!, text: link[1]! }];
      tokens.push({ type: 'link', raw: link[0], href: link[2]!, title: null, text: link[1]!, tokens: label });
      rest = rest.slice(link[0].length);
      continue;
    }
    return null;
  }
  flush();
  return tokens;
}
