/**
 * When two listings are the same job (issue 12): the keys djs compares. They live in core/ because the
 * database registers them as SQL functions (`djs_company_key`, `djs_match_key`, `djs_board_key`) on every
 * connection, so the migration fills them for postings stored before it, exactly as the code computes
 * them for new ones.
 */

/** Legal-form words that say nothing about which company it is: "Stripe, Inc." is "Stripe". */
const LEGAL_FORMS = new Set([
  'inc',
  'incorporated',
  'llc',
  'ltd',
  'limited',
  'plc',
  'corp',
  'corporation',
  'co',
  'company',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'oy',
  'ab',
  'as',
  'aps',
  'kg',
  'pty',
  'pte',
  'lp',
  'llp',
  'se',
  'ug',
  'kft',
  'sp',
  'zoo',
]);

/** Lower case, no accents, words of letters and digits only: "Zürich – Remote" → "zurich remote". */
function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * A company name as the blocklist and the cross-source match compare it: case, accents, punctuation and
 * a trailing legal form ignored ("ACME GmbH", "Acme" and "acme, inc." are one company); null when empty.
 */
export function companyKey(company: string | null | undefined): string | null {
  if (!company) return null;
  const parts = words(company);
  while (parts.length > 1 && LEGAL_FORMS.has(parts.at(-1)!)) parts.pop();
  return parts.length > 0 ? parts.join(' ') : null;
}

/** Where a listing says the job is, for matching: any "remote" location is one place, "remote". */
function locationKey(location: string | null | undefined): string {
  const parts = words(location ?? '');
  if (parts.some((word) => word === 'remote' || word === 'anywhere' || word === 'worldwide')) return 'remote';
  return parts.join(' ');
}

/**
 * Company + title + location, normalised: two listings on different sources with the same key within
 * 30 days are one job. Null without a company or a title (nothing reliable to match on).
 */
export function matchKey(
  company: string | null | undefined,
  title: string | null | undefined,
  location: string | null | undefined,
): string | null {
  const company_ = companyKey(company);
  const title_ = words(title ?? '').join(' ');
  if (company_ === null || title_ === '') return null;
  return `${company_}|${title_}|${locationKey(location)}`;
}

/** A job on a company board djs reads, as found in a URL (an apply link, a posting's own link). */
export interface BoardJob {
  kind: 'greenhouse' | 'lever' | 'ashby';
  /** The board / site name when the URL names it (a Greenhouse `gh_jid` on the company's own site does not). */
  board: string | null;
  /** The board's own job id: Greenhouse's number, Lever's and Ashby's UUID (lower case). */
  id: string;
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const BOARD_NAME = '[A-Za-z0-9][A-Za-z0-9._-]*';

/**
 * The Greenhouse, Lever or Ashby job a URL points at (`boards.greenhouse.io/<b>/jobs/<id>`,
 * `job-boards[.eu].greenhouse.io/<b>/jobs/<id>`, `…?gh_jid=<id>`, `jobs[.eu].lever.co/<s>/<uuid>[/apply]`,
 * `jobs.ashbyhq.com/<b>/<uuid>[/application]`), tracking parameters and all; LinkedIn's externalApply
 * links carry it in their `url=` parameter. Null for any other URL.
 */
export function boardJobFromUrl(raw: string | null | undefined): BoardJob | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const wrapped = url.searchParams.get('url');
  if (wrapped && wrapped !== raw) {
    const inner = boardJobFromUrl(wrapped);
    if (inner) return inner;
  }
  const host = url.hostname.toLowerCase();
  const path = decodeURIComponent(url.pathname);
  let match: RegExpExecArray | null;
  if (/(^|\.)greenhouse\.io$/.test(host)) {
    match = new RegExp(`^/(${BOARD_NAME})/jobs/(\\d+)`).exec(path);
    if (match) return { kind: 'greenhouse', board: match[1]!.toLowerCase(), id: match[2]! };
    const embedded = url.searchParams.get('token') ?? url.searchParams.get('gh_jid');
    const board = url.searchParams.get('for');
    if (embedded && /^\d+$/.test(embedded))
      return { kind: 'greenhouse', board: board ? board.toLowerCase() : null, id: embedded };
  }
  const ghJid = url.searchParams.get('gh_jid');
  if (ghJid && /^\d+$/.test(ghJid)) return { kind: 'greenhouse', board: null, id: ghJid };
  if (/^jobs\.(eu\.)?lever\.co$/.test(host)) {
    match = new RegExp(`^/(${BOARD_NAME})/(${UUID})(?:/|$)`).exec(path);
    if (match) return { kind: 'lever', board: match[1]!.toLowerCase(), id: match[2]!.toLowerCase() };
  }
  if (host === 'jobs.ashbyhq.com') {
    match = new RegExp(`^/(${BOARD_NAME})/(${UUID})(?:/|$)`).exec(path);
    if (match) return { kind: 'ashby', board: match[1]!.toLowerCase(), id: match[2]!.toLowerCase() };
  }
  return null;
}

/**
 * The printable id of a board's job, and the key a LinkedIn posting's apply link is matched on:
 * "greenhouse:8026689", "lever:<uuid>", "ashby:<uuid>". The boards' job ids are unique across boards,
 * so the key needs no board name (a Greenhouse link on the company's own site has none).
 */
export function boardJobKey(job: Pick<BoardJob, 'kind' | 'id'>): string {
  return `${job.kind}:${job.id}`;
}

/** `boardJobKey(boardJobFromUrl(url))`, or null: the SQL function `djs_board_key`. */
export function boardKeyFromUrl(url: string | null | undefined): string | null {
  const job = boardJobFromUrl(url);
  return job ? boardJobKey(job) : null;
}
