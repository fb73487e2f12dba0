import { load } from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import { mapCriteria } from './criteria.js';
import { isoDateFromAttribute, relativeDateToIso } from './dates.js';
import { htmlToMarkdown } from '../common/html-markdown.js';
import { findSalaryRange, parseSalary } from '../common/salary.js';
import { webUrl } from '../../core/sanitize.js';
import { jobIdFromLink } from '../../jobs/model.js';
import type { SalaryPeriod } from '../../jobs/model.js';
import { isClosedWording, splitClosedTitle } from './closed.js';

/**
 * Parsers for LinkedIn's guest job pages: search results (full `/jobs/search` pages and
 * `seeMoreJobPostings` fragments) and job details (full `/jobs/view` pages and `jobPosting` fragments),
 * as served raw, as saved from a browser DOM, or re-indented by BeautifulSoup. Parsing never throws on
 * bad markup and never reads the clock: relative dates use the injected `now`.
 */

export interface JobCard {
  /** The numeric LinkedIn job id (usually 10 digits). */
  jobId: string;
  /** Always `https://www.linkedin.com/jobs/view/<jobId>/`. */
  link: string;
  title: string | null;
  company: string | null;
  location: string | null;
  /** YYYY-MM-DD from `<time datetime>`. */
  postedAt: string | null;
  /** From `.job-search-card__salary-info` when the card shows one. */
  salary?: string | null;
}

export interface SearchPage {
  blocked: boolean;
  cards: JobCard[];
}

export interface JobPostingDetail {
  jobId: string | null;
  title: string | null;
  company: string | null;
  companyUrl: string | null;
  location: string | null;
  /** The text as shown, e.g. "8 hours ago", "il y a 11 heures". */
  dateText: string | null;
  /** YYYY-MM-DD computed from `dateText` relative to `now` (or from a datetime attribute). */
  postedAt: string | null;
  applicantsText: string | null;
  applicants: number | null;
  salary: string | null;
  /** Pay as numbers, read from `salary`; null when it states no clear range (see parseSalary). */
  salaryMin: number | null;
  salaryMax: number | null;
  salaryCurrency: string | null;
  salaryPeriod: SalaryPeriod | null;
  /** The page says the posting no longer accepts applications (LinkedIn's closed-job banner). */
  closed: boolean;
  descriptionMarkdown: string | null;
  seniority: string | null;
  employmentType: string | null;
  jobFunction: string | null;
  industries: string | null;
  applyUrl: string | null;
}

export interface DetailPage {
  blocked: boolean;
  posting: JobPostingDetail | null;
}

/** cheerio's selection of elements, named without importing domhandler (not a direct dependency). */
type Elements = ReturnType<ReturnType<CheerioAPI['root']>['find']>;
/** Any selection (elements, text, the document …). */
type Nodes = ReturnType<Elements['clone']> | Elements;

/** Trims and collapses whitespace (nbsp and narrow nbsp included); empty → null. */
export function cleanText(value: string | null | undefined): string | null {
  if (value == null) return null;
  const text = value
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? null : text;
}

/** `https://www.linkedin.com/jobs/view/<jobId>/` */
export function canonicalJobLink(jobId: string): string {
  return `https://www.linkedin.com/jobs/view/${jobId}/`;
}

/**
 * htmlparser2 (cheerio's `xml: { xmlMode: false }` path) rather than parse5: 3-6× faster on LinkedIn's
 * pages (a 68 KB jobPosting fragment: ~3 ms instead of ~10 ms), never throws, and LinkedIn's markup is
 * well-formed enough that both give the same fields on every captured page.
 */
const PARSER_OPTIONS = { xml: { xmlMode: false, decodeEntities: true } } as const;

/**
 * Which HTML parser cheerio uses: htmlparser2 unless the caller asks otherwise. parse5 stays choosable
 * per call so the tests can check that both give the same result.
 */
export interface ParseOptions {
  engine?: 'htmlparser2' | 'parse5';
}

function loadSafely(html: string, { engine = 'htmlparser2' }: ParseOptions): CheerioAPI | null {
  try {
    return load(typeof html === 'string' ? html : '', engine === 'parse5' ? {} : PARSER_OPTIONS);
  } catch {
    return null;
  }
}

function textOf(el: Nodes): string | null {
  if (el.length === 0) return null;
  return cleanText(el.first().text());
}

/** The text of the first element matching one of the selectors (in order) that has any. */
function firstText(scope: Nodes, selectors: string[]): string | null {
  for (const selector of selectors) {
    const matches = scope.find(selector);
    for (let i = 0; i < matches.length; i++) {
      const text = cleanText(matches.eq(i).text());
      if (text !== null) return text;
    }
  }
  return null;
}

/**
 * The content of a hidden `<code id="...">` element: LinkedIn puts a JSON string inside an HTML comment,
 * `<code id="applyUrl"><!--"https://..."--></code>` (BeautifulSoup may drop the quotes).
 */
function codeValue($: CheerioAPI, id: string): string | null {
  const el = $(`code[id="${id}"]`).first();
  if (el.length === 0) return null;
  const html = el.html() ?? '';
  const comment = /<!--([\s\S]*?)-->/.exec(html);
  const raw = (comment ? comment[1] : el.text())?.trim() ?? '';
  if (raw === '') return null;
  if (raw.startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      return typeof parsed === 'string' ? cleanText(parsed) : null;
    } catch {
      return cleanText(raw.replace(/^"|"$/g, ''));
    }
  }
  return cleanText(raw);
}

/**
 * An auth-wall / sign-up / sign-in / checkpoint page: what a blocked or redirected guest request gets
 * (pageKey `auth_wall_*`, canonical `/authwall`, "Sign Up | LinkedIn" with no job markup).
 */
export function isAuthWall(html: string): boolean {
  if (typeof html !== 'string' || html.trim() === '') return false;
  const $ = loadSafely(html, {});
  if ($ === null) return false;
  return isAuthWallDocument($);
}

const AUTH_PAGE_KEY =
  /^(?:auth_?wall|d_checkpoint|checkpoint|d_registration|d_login|login|signup|uas-login)/i;

function isAuthWallDocument($: CheerioAPI): boolean {
  const pageKeys = [
    $('meta[name="pageKey"]').attr('content'),
    codeValue($, 'pageKey') ?? undefined,
    ($('meta#config').attr('data-page-instance') ?? '').replace(/^urn:li:page:/, '').split(';')[0],
  ];
  if (pageKeys.some((key) => key !== undefined && AUTH_PAGE_KEY.test(key.trim()))) return true;
  const canonical =
    $('link[rel="canonical"]').attr('href') ?? $('meta[property="og:url"]').attr('content') ?? '';
  if (/(?:^|\/)(?:authwall|checkpoint\/|uas\/login|signup\/cold-join)/i.test(canonical)) return true;
  const hasJobMarkup =
    $(
      '[data-entity-urn*="jobPosting"], .base-search-card, .job-search-card, .top-card-layout, .description__text, .show-more-less-html__markup',
    ).length > 0;
  if (hasJobMarkup) return false;
  const title = cleanText($('title').first().text()) ?? '';
  return /^(?:sign up|sign in|join linkedin|linkedin login|security verification)\b[^|]*\|\s*linkedin$/i.test(
    title,
  );
}

/* -------------------------------------------------------------------------------------------------
 * Search results
 * -----------------------------------------------------------------------------------------------*/

const CARD_SELECTOR =
  '[data-entity-urn*="jobPosting:"], .base-search-card, .job-search-card, .base-card, [data-job-id]';

/** Parses a guest search page or a `seeMoreJobPostings` fragment into job cards (cards without a job id are skipped). */
export function parseSearchPage(html: string, options: ParseOptions = {}): SearchPage {
  const $ = loadSafely(html, options);
  if ($ === null) return { blocked: false, cards: [] };
  if (isAuthWallDocument($)) return { blocked: true, cards: [] };

  const candidates = $(CARD_SELECTOR);
  const cards: JobCard[] = [];
  const seen = new Set<string>();
  candidates.each((i) => {
    const el = candidates.eq(i);
    if (el.parents(CARD_SELECTOR).length > 0) return; // nested inside another card: its root is parsed
    try {
      const card = parseCard(el);
      if (card !== null && !seen.has(card.jobId)) {
        seen.add(card.jobId);
        cards.push(card);
      }
    } catch {
      // a broken card is skipped, the others are kept
    }
  });
  return { blocked: false, cards };
}

function parseCard(card: Elements): JobCard | null {
  const withUrn = card.is('[data-entity-urn]') ? card : card.find('[data-entity-urn*="jobPosting:"]').first();
  const urn = withUrn.attr('data-entity-urn') ?? '';
  const linkEl = card.is('a[href]')
    ? card
    : card.find('a.base-card__full-link[href], a[href*="/jobs/view/"], a[href*="currentJobId="]').first();
  const href = linkEl.attr('href') ?? null;
  const dataJobId = card.attr('data-job-id') ?? card.find('[data-job-id]').first().attr('data-job-id');
  const jobId =
    jobIdFromLink(urn) ??
    (dataJobId && /^\d{5,}$/.test(dataJobId.trim()) ? dataJobId.trim() : null) ??
    jobIdFromLink(href);
  if (jobId === null) return null;

  const title =
    firstText(card, ['.base-search-card__title', '.job-search-card__title', 'h3']) ??
    cleanText(linkEl.find('.sr-only').text()) ??
    null;
  const companyEl = card.find('.base-search-card__subtitle, .job-search-card__subtitle, h4').first();
  const company = textOf(companyEl.find('a').length > 0 ? companyEl.find('a') : companyEl);
  const location = firstText(card, ['.job-search-card__location', '.base-search-card__location']);
  const time = card
    .find('time.job-search-card__listdate, time.job-search-card__listdate--new, time[datetime]')
    .first();
  const postedAt = isoDateFromAttribute(time.attr('datetime'));
  const salary = firstText(card, ['.job-search-card__salary-info', '.base-search-card__salary-info']);
  return { jobId, link: canonicalJobLink(jobId), title, company, location, postedAt, salary };
}

/* -------------------------------------------------------------------------------------------------
 * Job detail
 * -----------------------------------------------------------------------------------------------*/

/**
 * Real descriptions have well under 20,000 characters of markup. cheerio and turndown need many times a
 * page's size in memory (a 10 MB description ran the parse worker out of its heap), so a description's
 * markup is cut at this length before parsing, and the posting says so.
 */
export const MAX_DESCRIPTION_MARKUP = 100_000;
/** Class names of the description's container, in the order findDescription prefers them. */
const DESCRIPTION_CLASSES = ['show-more-less-html__markup', 'description__text', 'jobs-description__content'];

/**
 * The page with its description's markup cut to `limit` characters (before the criteria list that
 * follows it, which is kept). Plain string searches, no regular expressions: linear on any input.
 */
export function cutLongDescription(
  html: string,
  limit = MAX_DESCRIPTION_MARKUP,
): { html: string; cut: boolean } {
  if (html.length <= limit) return { html, cut: false };
  const at = DESCRIPTION_CLASSES.map((name) => html.indexOf(name)).find((index) => index >= 0);
  const start = at === undefined ? -1 : html.indexOf('>', at) + 1;
  if (start <= 0) return { html, cut: false };
  const criteria = html.indexOf('description__job-criteria-list', start);
  const end = criteria < 0 ? html.length : html.lastIndexOf('<', criteria);
  if (end - start <= limit) return { html, cut: false };
  let cutAt = start + limit;
  // Never leave half a tag behind.
  if (html.lastIndexOf('<', cutAt) > html.lastIndexOf('>', cutAt)) cutAt = html.lastIndexOf('<', cutAt);
  return { html: html.slice(0, cutAt) + html.slice(end), cut: true };
}

/** Parses a `jobPosting/{id}` fragment or a full `/jobs/view/...` page. */
export function parseJobPosting(page: string, options: ParseOptions & { now: Date }): DetailPage {
  const { html, cut } = cutLongDescription(page);
  const $ = loadSafely(html, options);
  if ($ === null) return { blocked: false, posting: null };
  if (isAuthWallDocument($)) return { blocked: true, posting: null };

  let posting: JobPostingDetail | null = null;
  try {
    posting = extractPosting($, options.now, cut);
  } catch {
    posting = null;
  }
  return { blocked: false, posting };
}

function extractPosting($: CheerioAPI, now: Date, descriptionCut: boolean): JobPostingDetail | null {
  const topCards = $('.top-card-layout, .topcard');
  const top: Nodes = topCards.length > 0 ? topCards.first() : $.root();

  const shownTitle =
    firstText(top, ['.top-card-layout__title', '.topcard__title', 'h1', 'h2']) ??
    cleanText($('h1.top-card-layout__title, h2.top-card-layout__title').first().text());
  const closedTitle = shownTitle !== null ? splitClosedTitle(shownTitle) : null;
  const title = closedTitle?.title ?? null;

  const orgLink = top.find('a.topcard__org-name-link, .topcard__org-name-link').first();
  const company =
    textOf(orgLink) ??
    firstText(top, [
      '.topcard__flavor-row .topcard__flavor:not(.topcard__flavor--bullet):not(.topcard__flavor--metadata)',
    ]) ??
    null;
  const companyHref =
    orgLink.attr('href') ??
    top.find('a[data-tracking-control-name="public_jobs_topcard_logo"]').attr('href') ??
    null;
  const companyUrl = cleanCompanyUrl(companyHref);

  const location = firstText(top, [
    '.topcard__flavor-row span.topcard__flavor--bullet:not(.num-applicants__caption)',
    'span.topcard__flavor--bullet:not(.num-applicants__caption)',
    '.topcard__flavor--bullet:not(.num-applicants__caption):not(.num-applicants__figure)',
  ]);

  const postedEl = top.find('.posted-time-ago__text').first();
  const dateText = textOf(postedEl);
  const datetimeAttr =
    postedEl.attr('datetime') ??
    postedEl.find('time[datetime]').attr('datetime') ??
    top.find('time[datetime]').attr('datetime');
  const postedAt =
    isoDateFromAttribute(datetimeAttr) ?? (dateText !== null ? relativeDateToIso(dateText, now) : null);

  const applicantsText = firstText(top, ['.num-applicants__caption']);
  const applicants = applicantsText !== null ? parseApplicants(applicantsText) : null;

  const descriptionEl = findDescription($);
  const markdown = descriptionEl !== null ? htmlToMarkdown(descriptionEl.html() ?? '') : null;
  const descriptionMarkdown =
    markdown !== null && descriptionCut
      ? `${markdown}\n\n[description cut at ${markdown.length} characters by djs]`
      : markdown;
  const descriptionPlain = descriptionEl !== null ? plainText($, descriptionEl) : '';

  const salaryMarkup = firstText($.root(), [
    '.compensation__salary-range .compensation__salary',
    '.compensation__salary',
    '.top-card-layout .salary',
    '.topcard__flavor--salary',
  ]);
  const salary = salaryMarkup ?? (descriptionPlain !== '' ? findSalaryRange(descriptionPlain) : null);
  const pay = salary !== null ? parseSalary(salary) : null;

  const criteriaItems = $('ul.description__job-criteria-list')
    .first()
    .find('li.description__job-criteria-item, li')
    .map((_, li) => ({
      label: cleanText($(li).find('.description__job-criteria-subheader, h3').first().text()) ?? '',
      value: cleanText($(li).find('.description__job-criteria-text, span').first().text()),
    }))
    .get();
  const criteria = mapCriteria(criteriaItems);

  const jobId =
    onlyDigits(codeValue($, 'decoratedJobPostingId')) ??
    jobIdFromLink(
      $('[data-semaphore-content-urn*="jobPosting"]').first().attr('data-semaphore-content-urn'),
    ) ??
    jobIdFromLink($('link[rel="canonical"]').attr('href')) ??
    jobIdFromLink(
      top
        .find('a.topcard__link[href], a[data-tracking-control-name="public_jobs_topcard-title"]')
        .attr('href'),
    ) ??
    jobIdFromLink($('meta[property="og:url"]').attr('content')) ??
    null;

  const applyUrl = findApplyUrl($);

  if (title === null && descriptionMarkdown === null && company === null) return null;

  return {
    jobId,
    title,
    company,
    companyUrl,
    location,
    dateText,
    postedAt,
    applicantsText,
    applicants,
    salary,
    salaryMin: pay?.min ?? null,
    salaryMax: pay?.max ?? null,
    salaryCurrency: pay?.currency ?? null,
    salaryPeriod: pay?.period ?? null,
    closed: closedTitle?.closed === true || hasClosedBanner($, topCards),
    descriptionMarkdown,
    seniority: criteria.seniority,
    employmentType: criteria.employmentType,
    jobFunction: criteria.jobFunction,
    industries: criteria.industries,
    applyUrl,
  };
}

/** LinkedIn's closed-job banner: its figure, or its caption on its own. */
const CLOSED_BANNER = 'figure.closed-job, .closed-job__flavor--closed';
const DESCRIPTION_SELECTOR = DESCRIPTION_CLASSES.map((name) => `.${name}`).join(', ');

/**
 * Whether the page shows LinkedIn's closed-job banner: its markup anywhere but in the description, or (in
 * case the class names change) a top-card caption whose whole text is the banner's words in one of the
 * page languages djs reads.
 */
function hasClosedBanner($: CheerioAPI, topCards: Elements): boolean {
  const banners = $(CLOSED_BANNER).filter((_, el) => $(el).closest(DESCRIPTION_SELECTOR).length === 0);
  if (banners.length > 0) return true;
  const captions = topCards.find('figcaption, span, p');
  for (let i = 0; i < captions.length; i++) {
    if (isClosedWording(captions.eq(i).text())) return true;
  }
  return false;
}

function onlyDigits(value: string | null): string | null {
  if (value === null) return null;
  const m = /\d{5,}/.exec(value);
  return m ? m[0] : null;
}

/** "Over 200 applicants" → 200, "Plus de 200 candidats" → 200, "1,234 applicants" → 1234; null when no number. */
export function parseApplicants(text: string): number | null {
  const m = /\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?!\d)|\d+/.exec(text);
  if (!m) return null;
  const n = Number(m[0].replace(/\D/g, ''));
  return Number.isFinite(n) ? n : null;
}

function findDescription($: CheerioAPI): Nodes | null {
  const candidates = [
    '.description__text .show-more-less-html__markup',
    '.show-more-less-html__markup',
    '.description__text',
    '.jobs-description__content',
    '#job-details',
  ];
  for (const selector of candidates) {
    const el = $(selector).first();
    if (el.length > 0) {
      const clone = el.clone();
      clone
        .find('button, icon, script, style, .show-more-less-html__button, .description__job-criteria-list')
        .remove();
      // Some postings leave a <strong> unclosed around the rest of the text (lists included): emphasis
      // that spans blocks cannot be written in Markdown, so such an element is unwrapped.
      clone.find('strong, b, em, i').each((_, inline) => {
        const $inline = $(inline);
        if ($inline.find('ul, ol, li, p, div, h1, h2, h3, h4, h5, h6, table, strong, b').length > 0) {
          $inline.replaceWith($inline.contents());
        }
      });
      if (cleanText(clone.text()) !== null) return clone;
    }
  }
  return null;
}

const BLOCK_TAGS = 'p, div, li, ul, ol, h1, h2, h3, h4, h5, h6, tr, section, article, blockquote';

/** The description as plain text with line breaks where `<br>` and block elements were (for salary search). */
function plainText($: CheerioAPI, el: Nodes): string {
  const copy = el.clone();
  copy.find('br').replaceWith('\n');
  copy.find(BLOCK_TAGS).each((_, block) => {
    $(block).append('\n');
  });
  return copy
    .text()
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n');
}

function cleanCompanyUrl(href: string | null | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href, 'https://www.linkedin.com');
    url.search = '';
    url.hash = '';
    return webUrl(url.toString());
  } catch {
    return null;
  }
}

/**
 * The external target of an `externalApply` URL (its `url=` parameter), or the URL itself; null unless it is
 * an http(s) URL (a javascript:, file: or data: target is dropped, never stored).
 */
export function decodeApplyUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw, 'https://www.linkedin.com');
  } catch {
    return null;
  }
  if (/\/externalApply\//.test(url.pathname)) {
    const target = url.searchParams.get('url');
    if (target) {
      try {
        return webUrl(new URL(target).toString());
      } catch {
        return null;
      }
    }
  }
  return webUrl(url.toString());
}

function findApplyUrl($: CheerioAPI): string | null {
  const fromCode = codeValue($, 'applyUrl');
  if (fromCode !== null) {
    const decoded = decodeApplyUrl(fromCode);
    if (decoded !== null) return decoded;
  }
  const links = $(
    'a[href*="/externalApply/"], a.apply-button[href], a[data-tracking-control-name="public_jobs_apply-link-offsite"][href]',
  );
  for (let i = 0; i < links.length; i++) {
    const href = links.eq(i).attr('href');
    if (!href) continue;
    const decoded = decodeApplyUrl(href);
    if (decoded === null) continue;
    const host = new URL(decoded).hostname;
    // A link back to LinkedIn's sign-in/sign-up is not an apply target.
    if (/(^|\.)linkedin\.com$/i.test(host) && !/\/jobs\/view\//.test(decoded)) continue;
    return decoded;
  }
  return null;
}
