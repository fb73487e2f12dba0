/**
 * HTML character references → characters, in one pass (so "&amp;lt;" becomes "&lt;", not "<"). Greenhouse
 * sends a job's `content` HTML escaped once more ("&lt;p&gt;…"); this undoes that layer and leaves the
 * HTML's own references ("&amp;nbsp;" → "&nbsp;") to the HTML parser. Named references beyond the five
 * that escaping produces are left as written.
 */
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function fromCodePoint(code: number): string {
  const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
  return valid ? String.fromCodePoint(code) : '\ufffd';
}

export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));/g, (whole, dec, hex, name) => {
    if (dec !== undefined) return fromCodePoint(Number(dec));
    if (hex !== undefined) return fromCodePoint(parseInt(hex as string, 16));
    return NAMED[(name as string).toLowerCase()] ?? whole;
  });
}
