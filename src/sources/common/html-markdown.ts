import TurndownService from 'turndown';

/**
 * HTML → Markdown for posting descriptions (turndown), for LinkedIn and the job boards alike. Their markup
 * is simple (p, br, strong, em, ul/ol/li, sometimes headings and links); buttons, icons and scripts are
 * dropped.
 */
const turndown = new TurndownService({
  headingStyle: 'atx',
  bulletListMarker: '-',
  codeBlockStyle: 'fenced',
  emDelimiter: '_',
  strongDelimiter: '**',
});
turndown.remove(['script', 'style', 'noscript', 'button', 'iframe', 'form', 'input', 'select', 'textarea']);
/** The little of the DOM the list rule needs (the project compiles without the DOM lib). */
interface MiniNode {
  nodeName: string;
  parentNode: (MiniNode & { children: ArrayLike<unknown>; getAttribute(name: string): string | null }) | null;
  nextSibling: unknown;
}

// "- item" / "1. item" (one space) rather than turndown's "-   item": what people write and read.
turndown.addRule('compactListItem', {
  filter: 'li',
  replacement: (content, domNode) => {
    const node = domNode as unknown as MiniNode;
    let prefix = '- ';
    const parent = node.parentNode;
    if (parent !== null && parent.nodeName === 'OL') {
      const start = Number(parent.getAttribute('start') ?? '1');
      const index = Array.prototype.indexOf.call(parent.children, node);
      prefix = `${(Number.isFinite(start) ? start : 1) + index}. `;
    }
    const isParagraph = /\n$/.test(content);
    const body = content.replace(/^\n+/, '').replace(/\n+$/, '') + (isParagraph ? '\n' : '');
    const indented = body.replace(/\n/g, `\n${' '.repeat(prefix.length)}`);
    return prefix + indented + (node.nextSibling ? '\n' : '');
  },
});
// LinkedIn's custom <icon> element (a lazy-loaded svg holder) and inline svg: never text.
turndown.remove((node) => node.nodeName === 'ICON' || node.nodeName.toLowerCase() === 'svg');

const INLINE = '(?:strong|b|em|i|u)';
const TRAILING_BREAK = new RegExp(`((?:\\s*<br\\s*/?>)+)(\\s*</${INLINE}>)`, 'gi');
const LEADING_BREAK = new RegExp(`(<${INLINE}(?:\\s[^>]*)?>)((?:\\s*<br\\s*/?>)+)`, 'gi');

/**
 * LinkedIn writes headings as `<strong>Title<br></strong>`; moving the break outside the inline element
 * keeps the Markdown emphasis on one line (`**Title**` rather than `**Title\n**`).
 */
export function hoistBreaks(html: string): string {
  let previous: string;
  let current = html;
  do {
    previous = current;
    current = current.replace(TRAILING_BREAK, '$2$1').replace(LEADING_BREAK, '$2$1');
  } while (current !== previous);
  return current;
}

/** Converts an HTML fragment to trimmed Markdown with at most one blank line in a row; null when empty. */
export function htmlToMarkdown(html: string): string | null {
  let md: string;
  try {
    md = turndown.turndown(hoistBreaks(html));
  } catch {
    return null;
  }
  const cleaned = md
    .replace(/\r\n?/g, '\n')
    .replace(/[\u200b\ufeff]/g, '')
    .replace(/[ \t\u00a0]+$/gm, '') // trailing spaces: turndown's hard-break marker becomes a plain line break
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return cleaned === '' ? null : cleaned;
}
