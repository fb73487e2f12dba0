/**
 * A fake of LinkedIn's guest job endpoints on 127.0.0.1, for integration tests and benchmarks.
 *
 * - `GET /jobs-guest/jobs/api/seeMoreJobPostings/search?keywords=&location=&start=N&f_TPR=&f_WT=&f_JT=`
 *   returns up to 10 `<li>` job cards in the markup of the real seeMoreJobPostings fragments, and an
 *   empty 200 body past the end.
 *   - keywords: every word of `keywords` must occur (case-insensitive, whole word) in the posting's
 *     title or description, or `keywords` must equal (case-insensitive) one of the posting's `queries`.
 *     Empty keywords match everything.
 *   - location: a case-insensitive substring of the posting's location. When it matches no posting at
 *     all, it is ignored and every posting matches (LinkedIn resolves unknown places loosely, see the
 *     "Work from Home" → "Home, KS" fixture). Empty location matches everything.
 *   - f_TPR=rSECONDS keeps postings at most that old (at day granularity); f_WT (1 on-site, 2 remote,
 *     3 hybrid) and f_JT (F, P, C, T, I, V, O) keep postings with one of the listed values
 *     (postings without `workplace`/`jobType` count as on-site / full-time).
 *   - Cards come in catalogue order, 10 a page, paged by `start`.
 * - `GET /jobs-guest/jobs/api/jobPosting/{id}` returns a detail fragment in the real jobPosting shape
 *   (top card, posted-time-ago text, applicants caption, description, criteria list, `code#applyUrl`,
 *   and LinkedIn's "No longer accepting applications" banner for a `closed` posting); 404 for an unknown id.
 * - `GET /authwall` serves the auth-wall page.
 *
 * Hostile answers (issue 10) come first, for the requests `hostile` picks: a gzip bomb, a body too large for
 * any sane cap, a redirect anywhere (another origin is played by a second fake on `host: '127.0.0.2'`), or the
 * posting with its description padded to a size. `connections` counts the TCP connections accepted.
 *
 * Faults are decided per request, in this order: auth wall (200 + the sign-up page), the status `failWith`
 * picks, then from a seeded PRNG:
 * timeout (the request never gets an answer; close() destroys the socket), 429 (with `Retry-After` when
 * `retryAfterSeconds` is a number), 5xx (500/502/503/504), garbage (a truncated body or non-HTML junk,
 * status 200). Every request is logged in `requests` with its arrival time; `status` is 0 while (or if
 * never) answered.
 *
 * Posting dates: cards carry `<time datetime="YYYY-MM-DD">`; the detail shows "N minutes/hours ago"
 * for today and "N days ago" for older postings (always days, so the date round-trips exactly).
 */
import http from 'node:http';
import { sendGzipBomb, sendOversized } from './hostile.js';
import { listenOnLoopback, type LoopbackHost } from './loopback.js';

export interface FakePosting {
  jobId: string;
  title: string;
  company: string;
  location: string;
  /** Plain text: blank-line separated paragraphs; lines starting with "- " are bullet items. */
  description: string;
  /** YYYY-MM-DD */
  postedAt: string;
  /** Keywords this posting is served for, besides the words of its title and description. */
  queries?: string[];
  workplace?: 'onsite' | 'remote' | 'hybrid';
  /** LinkedIn's f_JT codes: F full-time, P part-time, C contract, T temporary, I internship, V volunteer, O other. */
  jobType?: 'F' | 'P' | 'C' | 'T' | 'I' | 'V' | 'O';
  seniority?: string;
  employmentType?: string;
  jobFunction?: string;
  industries?: string;
  applicants?: number;
  /** The salary range sentence's range, when the description states one (e.g. "$120,000 - $150,000 per year"). */
  salary?: string;
  /** An external apply target, served as LinkedIn's `externalApply?url=` link in `code#applyUrl`. */
  applyUrl?: string;
  /** LinkedIn company slug (for the company URL); derived from the name when absent. */
  companySlug?: string;
  /** No longer accepting applications: the detail shows LinkedIn's closed-job banner instead of the Apply button. */
  closed?: boolean;
}

export interface FakeRequestInfo {
  path: string;
  query: Record<string, string>;
  /** 0-based number of the request since the server started. */
  index: number;
}

export type HostileAnswer =
  /** A small gzip body that inflates to `inflatedBytes` of zeros. */
  | { kind: 'gzip-bomb'; inflatedBytes: number }
  /** `bytes` of filler, chunked. */
  | { kind: 'oversized'; bytes: number }
  | { kind: 'redirect'; location: string; status?: 301 | 302 | 303 | 307 | 308 }
  /** The detail page with the posting's description padded to about `bytes` (search requests are unaffected). */
  | { kind: 'long-description'; bytes: number };

export interface FakeLinkedInOptions {
  /** Listen here; 127.0.0.2 plays another origin. Default 127.0.0.1. */
  host?: LoopbackHost;
  /** A hostile answer for the requests it picks (undefined: answer normally). */
  hostile?: (req: FakeRequestInfo) => HostileAnswer | undefined;
  /** The catalogue; default `generatePostings(120, seed)`. */
  postings?: FakePosting[];
  /** Probability (0..1) of a 429. */
  rateOf429?: number;
  /** Retry-After seconds sent with 429s; null (the default) sends none. */
  retryAfterSeconds?: number | null;
  /** Probability of a 5xx. */
  rateOf5xx?: number;
  /** Probability that a request hangs and never gets an answer. */
  rateOfTimeout?: number;
  /** Serve the auth-wall page (status 200) to every request, or to those the function picks. */
  authWall?: boolean | ((req: FakeRequestInfo) => boolean);
  /** Scripted faults: the status to answer a request with instead of the page (null: no fault). */
  failWith?: (req: FakeRequestInfo) => number | null;
  /** Probability of a truncated or garbage body (status 200). */
  garbage?: number;
  /** Delay before every answer. */
  latencyMs?: number;
  /** Seed of the PRNG for faults (and for the default catalogue). Default 1. */
  seed?: number;
  /** The server's clock, for relative dates and f_TPR. Default: the real clock. */
  now?: () => Date;
}

export interface FakeLinkedIn {
  /** http://127.0.0.1:PORT */
  url: string;
  /** TCP connections accepted so far. */
  readonly connections: number;
  requests: Array<{ time: number; path: string; query: Record<string, string>; status: number }>;
  /** The current catalogue. */
  readonly postings: FakePosting[];
  setOptions(partial: Partial<FakeLinkedInOptions>): void;
  close(): Promise<void>;
}

export const SEARCH_PATH = '/jobs-guest/jobs/api/seeMoreJobPostings/search';
export const DETAIL_PATH_PREFIX = '/jobs-guest/jobs/api/jobPosting/';
export const PAGE_SIZE = 10;

/* -------------------------------------------------------------------------------------------------
 * PRNG and helpers
 * -----------------------------------------------------------------------------------------------*/

/** mulberry32: small, fast, deterministic. Returns floats in [0, 1). */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

function pickSome<T>(rng: () => number, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) {
    out.push(pool.splice(Math.floor(rng() * pool.length), 1)[0] as T);
  }
  return out;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/\+/g, 'p')
      .replace(/#/g, 'sharp')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'job'
  );
}

const DAY_MS = 86_400_000;

function utcMidnight(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whole days between `postedAt` (YYYY-MM-DD) and the UTC day of `now` (0 = today). */
export function daysAgo(postedAt: string, now: Date): number {
  const posted = Date.parse(`${postedAt}T00:00:00Z`);
  return Math.max(0, Math.round((utcMidnight(now) - posted) / DAY_MS));
}

/** The detail page's "posted" text: "N minutes/hours ago" for today, else "N days ago" (exact days, so it round-trips). */
export function relativePostedText(postedAt: string, now: Date): string {
  const days = daysAgo(postedAt, now);
  if (days === 0) {
    const minutes = Math.floor((now.getTime() - utcMidnight(now)) / 60_000);
    if (minutes >= 60) {
      const hours = Math.floor(minutes / 60);
      return hours === 1 ? '1 hour ago' : `${hours} hours ago`;
    }
    if (minutes >= 1) return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
    return 'Just now';
  }
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** The search card's short date text, as LinkedIn shows it. */
function cardDateText(postedAt: string, now: Date): string {
  const days = daysAgo(postedAt, now);
  if (days === 0) return relativePostedText(postedAt, now);
  if (days < 7) return days === 1 ? '1 day ago' : `${days} days ago`;
  if (days < 30) {
    const weeks = Math.floor(days / 7);
    return weeks === 1 ? '1 week ago' : `${weeks} weeks ago`;
  }
  const months = Math.max(1, Math.floor(days / 30));
  return months === 1 ? '1 month ago' : `${months} months ago`;
}

/** LinkedIn's applicants caption for a count: "Be among the first 25 applicants", "N applicants", "Over 200 applicants". */
export function applicantsCaption(count: number): string {
  if (count < 25) return 'Be among the first 25 applicants';
  if (count > 200) return 'Over 200 applicants';
  return `${count} applicants`;
}

/** The number the parser reads from `applicantsCaption(count)`. */
export function displayedApplicants(count: number): number {
  if (count < 25) return 25;
  if (count > 200) return 200;
  return count;
}

const JOB_TYPE_LABEL: Record<NonNullable<FakePosting['jobType']>, string> = {
  F: 'Full-time',
  P: 'Part-time',
  C: 'Contract',
  T: 'Temporary',
  I: 'Internship',
  V: 'Volunteer',
  O: 'Other',
};

/** The criteria the detail page shows for a posting (defaults filled in). */
export function postingCriteria(p: FakePosting): {
  seniority: string;
  employmentType: string;
  jobFunction: string;
  industries: string;
} {
  return {
    seniority: p.seniority ?? 'Mid-Senior level',
    employmentType: p.employmentType ?? JOB_TYPE_LABEL[p.jobType ?? 'F'],
    jobFunction: p.jobFunction ?? 'Engineering and Information Technology',
    industries: p.industries ?? 'Software Development',
  };
}

export function companySlugOf(p: FakePosting): string {
  return p.companySlug ?? slugify(p.company);
}

/* -------------------------------------------------------------------------------------------------
 * Markup (shapes copied from the real captured fragments)
 * -----------------------------------------------------------------------------------------------*/

/** One `<li>` job card, as in seeMoreJobPostings fragments. */
export function renderCard(
  p: FakePosting,
  position: number,
  now: Date,
  refId = 'ZmFrZVJlZklkMDAwMDAwMA==',
): string {
  const slug = `${slugify(p.title)}-at-${companySlugOf(p)}-${p.jobId}`;
  const trackingId = Buffer.from(`t${p.jobId}`).toString('base64');
  const href =
    `https://www.linkedin.com/jobs/view/${slug}?position=${position}&pageNum=0` +
    `&refId=${encodeURIComponent(refId)}&trackingId=${encodeURIComponent(trackingId)}`;
  const isNew = daysAgo(p.postedAt, now) <= 1;
  const dateClass = isNew ? 'job-search-card__listdate--new' : 'job-search-card__listdate';
  const title = escapeHtml(p.title);
  return `
      <li>
      <div class="base-card relative w-full hover:no-underline focus:no-underline
        base-card--link
         base-search-card base-search-card--link job-search-card" data-entity-urn="urn:li:jobPosting:${p.jobId}" data-impression-id="jobs-search-result-${position - 1}" data-reference-id="${escapeHtml(refId)}" data-tracking-id="${escapeHtml(trackingId)}" data-column="1" data-row="${position}">
        <a class="base-card__full-link absolute top-0 right-0 bottom-0 left-0 p-0 z-[2] outline-offset-[4px]" href="${escapeHtml(href)}" data-tracking-control-name="public_jobs_jserp-result_search-card" data-tracking-client-ingraph data-tracking-will-navigate>
          <span class="sr-only">
        ${title}
          </span>
        </a>
    <div class="search-entity-media">
      <img class="artdeco-entity-image artdeco-entity-image--square-4
          " data-delayed-url="https://media.licdn.com/dms/image/v2/fake/company-logo_100_100/0/${p.jobId}?e=2147483647&amp;v=beta" data-ghost-classes="artdeco-entity-image--ghost" alt>
    </div>
        <div class="base-search-card__info">
          <h3 class="base-search-card__title">
        ${title}
          </h3>
            <h4 class="base-search-card__subtitle">
          <a class="hidden-nested-link" data-tracking-client-ingraph data-tracking-control-name="public_jobs_jserp-result_job-search-card-subtitle" data-tracking-will-navigate href="https://www.linkedin.com/company/${escapeHtml(companySlugOf(p))}?trk=public_jobs_jserp-result_job-search-card-subtitle">
            ${escapeHtml(p.company)}
          </a>
            </h4>
<!---->
            <div class="base-search-card__metadata">
          <span class="job-search-card__location">
            ${escapeHtml(p.location)}
          </span>
          <time class="${dateClass}" datetime="${p.postedAt}">
      ${cardDateText(p.postedAt, now)}
          </time>
<!---->
            </div>
        </div>
<!---->
      </div>
      </li>`;
}

/** A seeMoreJobPostings fragment (LinkedIn starts it with a doctype, then the `<li>` cards). */
export function renderSearchFragment(cards: FakePosting[], start: number, now: Date): string {
  if (cards.length === 0) return '';
  return `<!DOCTYPE html>\n${cards.map((p, i) => renderCard(p, start + i + 1, now)).join('\n')}\n`;
}

/** Plain text (paragraphs, "- " bullets) → LinkedIn-like description HTML. */
export function descriptionToHtml(text: string): string {
  const blocks = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((b) => b.trim())
    .filter((b) => b !== '');
  return blocks
    .map((block) => {
      const lines = block.split('\n');
      if (lines.every((l) => l.startsWith('- '))) {
        return `<ul>${lines.map((l) => `<li>${escapeHtml(l.slice(2).trim())}</li>`).join('')}</ul>`;
      }
      return `<p>${lines.map((l) => escapeHtml(l)).join('<br>')}</p>`;
    })
    .join('');
}

const APPLY_BUTTON = `<button class="sign-up-modal__outlet top-card-layout__cta mt-2 ml-1.5 h-auto babybear:flex-auto top-card-layout__cta--primary btn-md btn-primary" data-tracking-control-name="public_jobs_apply-link-offsite_sign-up-modal" data-modal="sign-up-modal-outlet">
            Apply
            <icon data-svg-class-name="apply-button__offsite-apply-icon-svg" data-delayed-url="https://static.licdn.com/aero-v1/sc/h/fake"></icon>
        </button>`;

/** What LinkedIn shows where the Apply button was once a posting takes no more applications. */
const CLOSED_BANNER = `<figure class="closed-job closed-job__flavor topcard__flavor-row">
          <span class="closed-job__icon closed-job__icon--error-pebble lazy-load"></span>
          <figcaption class="closed-job__flavor--closed">
            No longer accepting applications
          </figcaption>
        </figure>`;

/** A jobPosting/{id} fragment in the real shape. */
export function renderJobPosting(p: FakePosting, now: Date): string {
  const slug = `${slugify(p.title)}-at-${companySlugOf(p)}-${p.jobId}`;
  const companySlug = escapeHtml(companySlugOf(p));
  const criteria = postingCriteria(p);
  const applicants = p.applicants ?? 42;
  const applicantsMarkup =
    Number(p.jobId.slice(-1)) % 2 === 0
      ? `<figure class="num-applicants__figure topcard__flavor--metadata topcard__flavor--bullet">
          <span class="num-applicants__icon num-applicants__icon--notify-pebble lazy-load"></span>
          <figcaption class="num-applicants__caption">
            ${applicantsCaption(applicants)}
          </figcaption>
        </figure>`
      : `<span class="num-applicants__caption topcard__flavor--metadata topcard__flavor--bullet">
          ${applicantsCaption(applicants)}
        </span>`;
  const isNew = daysAgo(p.postedAt, now) === 0;
  const applyCode = p.applyUrl
    ? `<code id="applyUrl" style="display: none"><!--"${escapeHtml(
        `https://www.linkedin.com/jobs/view/externalApply/${p.jobId}?url=${encodeURIComponent(p.applyUrl)}&urlHash=FaKe`,
      )}"--></code>`
    : '';
  const criterion = (label: string, value: string): string => `
        <li class="description__job-criteria-item">
          <h3 class="description__job-criteria-subheader">
            ${label}
          </h3>
          <span class="description__job-criteria-text description__job-criteria-text--criteria">
            ${escapeHtml(value)}
          </span>
        </li>`;
  return `<!---->
    <section class="top-card-layout container-lined overflow-hidden babybear:rounded-[0px]">
      <div class="top-card-layout__card relative p-2 papabear:p-details-container-padding">
      <a href="https://www.linkedin.com/company/${companySlug}?trk=public_jobs_topcard_logo" target="_self" data-tracking-control-name="public_jobs_topcard_logo" data-tracking-will-navigate>
      <img class="artdeco-entity-image artdeco-entity-image--square-5" data-delayed-url="https://media.licdn.com/dms/image/v2/fake/company-logo_100_100/0/${p.jobId}" alt="${escapeHtml(p.company)}">
      </a>
          <div class="top-card-layout__entity-info-container flex flex-wrap papabear:flex-nowrap">
            <div class="top-card-layout__entity-info flex-grow flex-shrink-0 basis-0 babybear:flex-none babybear:w-full">
          <a href="https://www.linkedin.com/jobs/view/${slug}?trk=public_jobs_topcard-title" data-tracking-control-name="public_jobs_topcard-title" class="topcard__link" data-tracking-will-navigate>
            <h2 class="top-card-layout__title font-sans text-lg papabear:text-xl font-bold leading-open text-color-text mb-0 topcard__title">${escapeHtml(p.title)}</h2>
          </a>
<!---->
                <h4 class="top-card-layout__second-subline font-sans text-sm leading-open text-color-text-low-emphasis mt-0.5">
        <div class="topcard__flavor-row">
          <span class="topcard__flavor">
              <a class="topcard__org-name-link topcard__flavor--black-link" data-tracking-control-name="public_jobs_topcard-org-name" data-tracking-will-navigate href="https://www.linkedin.com/company/${companySlug}?trk=public_jobs_topcard-org-name" rel="noopener" target="_blank">
                ${escapeHtml(p.company)}
              </a>
          </span>
            <span class="topcard__flavor topcard__flavor--bullet">
              ${escapeHtml(p.location)}
            </span>
        </div>
        <div class="topcard__flavor-row">
        <span class="posted-time-ago__text${isNew ? ' posted-time-ago__text--new' : ''} topcard__flavor--metadata">
      ${relativePostedText(p.postedAt, now)}
        </span>
        ${applicantsMarkup}
        </div>
                </h4>
              <div class="top-card-layout__cta-container flex flex-wrap mt-0.5 papabear:mt-0 ml-[-12px]">
        ${p.closed ? CLOSED_BANNER : APPLY_BUTTON}
        ${applyCode}
              </div>
            </div>
          </div>
      </div>
    </section>
    <div class="decorated-job-posting__details">
    <section class="core-section-container my-3 description">
      <div class="core-section-container__content break-words">
      <div class="description__text description__text--rich">
    <section class="show-more-less-html" data-max-lines="5">
        <div class="show-more-less-html__markup show-more-less-html__markup--clamp-after-5
            relative overflow-hidden">
          ${descriptionToHtml(p.description)}
        </div>
    <button class="show-more-less-html__button show-more-less-button
        show-more-less-html__button--more
        ml-0.5" data-tracking-control-name="public_jobs_show-more-html-btn" aria-label="Show more" aria-expanded="false">
            Show more
          <icon class="show-more-less-html__button-icon show-more-less-button-icon" data-delayed-url="https://static.licdn.com/aero-v1/sc/h/fake"></icon>
    </button>
    <button class="show-more-less-html__button show-more-less-button
        show-more-less-html__button--less
        ml-0.5" data-tracking-control-name="public_jobs_show-less-html-btn" aria-label="Show less" aria-expanded="true">
            Show less
          <icon class="show-more-less-html__button-icon show-more-less-button-icon" data-delayed-url="https://static.licdn.com/aero-v1/sc/h/fake"></icon>
    </button>
    </section>
      </div>
      <ul class="description__job-criteria-list">${criterion('Seniority level', criteria.seniority)}${criterion(
        'Employment type',
        criteria.employmentType,
      )}${criterion('Job function', criteria.jobFunction)}${criterion('Industries', criteria.industries)}
      </ul>
      </div>
    </section>
    </div>
    <code id="decoratedJobPostingId" style="display: none"><!--"${p.jobId}"--></code>
      <code id="referenceId" style="display: none"><!--"ZmFrZVJlZklkMDAwMDAwMA=="--></code>
`;
}

/** A synthetic page in the shape of LinkedIn's auth wall (pageKey auth_wall_desktop_jserp, canonical /authwall). */
export const AUTH_WALL_HTML = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta name="pageKey" content="auth_wall_desktop_jserp">
    <meta name="locale" content="en_US">
    <meta id="config" data-app-version="2.1.1010" data-page-instance="urn:li:page:auth_wall_desktop_jserp;ZmFrZQ==">
    <meta name="robots" content="noindex, noarchive">
    <meta property="og:title" content="Sign Up | LinkedIn">
    <meta property="og:url" content="/authwall">
    <title>
        Sign Up | LinkedIn
    </title>
    <link rel="canonical" href="/authwall">
  </head>
  <body class="overflow-hidden">
    <main class="main" role="main">
      <h1 class="main__sign-in-container">Join LinkedIn to see more jobs</h1>
      <form class="join-form" action="/signup/cold-join" method="post">
        <input name="email-address" type="email"><input name="password" type="password">
        <button type="submit">Agree &amp; Join</button>
      </form>
      <a href="/login?trk=guest_homepage-basic_nav-header-signin">Sign in</a>
    </main>
  </body>
</html>
`;

/* -------------------------------------------------------------------------------------------------
 * Generated catalogue
 * -----------------------------------------------------------------------------------------------*/

const LEVELS = ['', '', 'Junior ', 'Senior ', 'Senior ', 'Staff ', 'Lead ', 'Principal '];
const STACKS = [
  'Python',
  'Java',
  'TypeScript',
  'Go',
  'Rust',
  'C++',
  'Kotlin',
  'React',
  'Node.js',
  'Data',
  'Machine Learning',
  'DevOps',
  'Backend',
  'Frontend',
  'Full Stack',
  'Cloud',
  'Security',
  'Site Reliability',
  'Platform',
  'QA Automation',
];
const ROLES = ['Developer', 'Engineer', 'Engineer', 'Software Engineer', 'Architect', 'Specialist'];
const COMPANIES: ReadonlyArray<{ name: string; industry: string }> = [
  { name: 'Northwind Analytics', industry: 'Software Development' },
  { name: 'Bluefin Labs', industry: 'IT Services and IT Consulting' },
  { name: 'Café Numérique', industry: 'Technology, Information and Internet' },
  { name: 'Zürcher Datenwerk AG', industry: 'Financial Services' },
  { name: 'Kraków Software House', industry: 'Software Development' },
  { name: 'Helios Energy Systems', industry: 'Renewable Energy Semiconductor Manufacturing' },
  { name: 'Tidewater Logistics', industry: 'Transportation, Logistics, Supply Chain and Storage' },
  { name: 'Lumen & Loom', industry: 'Retail Apparel and Fashion' },
  { name: 'Aurora Health Tech', industry: 'Hospitals and Health Care' },
  { name: 'Quantix Finance', industry: 'Financial Services' },
  { name: 'São Miguel Digital', industry: 'IT Services and IT Consulting' },
  { name: 'Nordlicht Games', industry: 'Computer Games' },
  { name: 'Pinecrest Robotics', industry: 'Automation Machinery Manufacturing' },
  { name: 'Ørsted Data Partners', industry: 'Data Infrastructure and Analytics' },
  { name: 'Meridian Telecom', industry: 'Telecommunications' },
  { name: 'Vía Láctea Studios', industry: 'Software Development' },
];
const CITIES = [
  'Kraków, Małopolskie, Poland',
  'Zürich, Zurich, Switzerland',
  'Berlin, Berlin, Germany',
  'München, Bavaria, Germany',
  'Paris, Île-de-France, France',
  'Lyon, Auvergne-Rhône-Alpes, France',
  'Milan, Lombardy, Italy',
  'Madrid, Community of Madrid, Spain',
  'Lisbon, Lisbon, Portugal',
  'São Paulo, São Paulo, Brazil',
  'London, England, United Kingdom',
  'Amsterdam, North Holland, Netherlands',
  'New York, NY',
  'San Francisco, CA',
  'Austin, TX',
  'Seattle, WA',
  'Toronto, ON, Canada',
  'Montréal, QC, Canada',
  'Bengaluru, Karnataka, India',
  'United States',
];
const SENIORITY: Record<string, string> = {
  'Junior ': 'Entry level',
  'Senior ': 'Mid-Senior level',
  'Staff ': 'Mid-Senior level',
  'Lead ': 'Mid-Senior level',
  'Principal ': 'Director',
  '': 'Associate',
};
const FUNCTIONS = [
  'Engineering and Information Technology',
  'Information Technology',
  'Engineering',
  'Research, Analyst, and Information Technology',
];
const DUTIES = [
  'Design, build and operate services that handle millions of requests a day',
  'Write clean, well-tested code and review the code of your teammates',
  'Work closely with product managers and designers to shape the roadmap',
  'Improve the reliability, observability and performance of our platform',
  'Mentor other engineers and share what you learn in design reviews',
  'Automate the build, test and release pipelines',
  'Own features from the first sketch to production and beyond',
  'Take part in an on-call rotation with a healthy, blameless culture',
  'Migrate legacy components to a modern, event-driven architecture',
  'Model data and write efficient queries for analytical workloads',
];
const SKILLS = [
  'Several years of professional experience with {stack}',
  'Solid knowledge of SQL and relational databases such as PostgreSQL',
  'Experience with cloud platforms (AWS, GCP or Azure) and containers',
  'Familiarity with Kubernetes, Terraform and continuous delivery',
  'A habit of writing automated tests and readable documentation',
  'Good written and spoken English; French, German or Polish is a plus',
  'Curiosity, ownership and a collaborative mindset',
  'Understanding of distributed systems and message queues such as Kafka',
  'Experience with REST and GraphQL APIs',
  'A degree in computer science or equivalent practical experience',
];
const BENEFITS = [
  'Flexible working hours and up to three remote days a week.',
  'Thirty days of paid holiday, a learning budget and a yearly team retreat.',
  'Private health insurance, a pension plan and a free café on site.',
  'A modern laptop of your choice and a home-office allowance.',
  'Parental leave, sabbatical options and a bike-leasing programme.',
];
const SALARIES: ReadonlyArray<(rng: () => number) => string> = [
  (rng) => {
    const low = 90 + Math.floor(rng() * 60);
    return `$${low},000 - $${low + 30 + Math.floor(rng() * 40)},000 per year`;
  },
  (rng) => {
    const low = 55 + Math.floor(rng() * 30);
    return `€${low}.000 – €${low + 10 + Math.floor(rng() * 20)}.000`;
  },
  (rng) => {
    const low = 120 + Math.floor(rng() * 50);
    return `${low},000 USD - ${low + 50},500 USD`;
  },
  (rng) => {
    const low = 45 + Math.floor(rng() * 30);
    return `$${low}/hr - $${low + 15}/hr`;
  },
];
const APPLY_HOSTS = ['https://jobs.ashbyhq.com', 'https://boards.greenhouse.io', 'https://jobs.lever.co'];

/**
 * `count` realistic synthetic postings, deterministic for a given `seed` (and `now`, which defaults to
 * today at 00:00 UTC: posting dates are 0–27 days before it). Job ids are unique 10-digit strings.
 */
export function generatePostings(count: number, seed = 1, options: { now?: Date } = {}): FakePosting[] {
  const rng = makeRng(seed * 7919 + 17);
  const today = utcMidnight(options.now ?? new Date());
  const postings: FakePosting[] = [];
  for (let i = 0; i < count; i++) {
    const level = pick(rng, LEVELS);
    const stack = pick(rng, STACKS);
    const role = pick(rng, ROLES);
    const title = `${level}${stack} ${role}`.replace(/\s+/g, ' ').trim();
    const company = pick(rng, COMPANIES);
    const location = pick(rng, CITIES);
    // Disjoint id ranges per index keep ids unique; 4.1e9 + … stays 10 digits for any realistic count.
    const jobId = String(4_100_000_000 + i * 9_973 + Math.floor(rng() * 9_973));
    const days = Math.floor(rng() * 28);
    const workplace = pick(rng, ['onsite', 'onsite', 'remote', 'hybrid'] as const);
    const jobType = pick(rng, ['F', 'F', 'F', 'F', 'C', 'P', 'I'] as const);
    const hasSalary = rng() < 0.4;
    const salary = hasSalary ? pick(rng, SALARIES)(rng) : undefined;
    const duties = pickSome(rng, DUTIES, 4 + Math.floor(rng() * 3));
    const skills = pickSome(rng, SKILLS, 4 + Math.floor(rng() * 3)).map((s) => s.replace('{stack}', stack));
    const benefits = pickSome(rng, BENEFITS, 2);
    const remoteLine =
      workplace === 'remote'
        ? 'This is a fully remote position; you can work from anywhere in the time zones of our team.'
        : workplace === 'hybrid'
          ? `This is a hybrid role: two days a week in our ${location.split(',')[0]} office.`
          : `You will work from our office in ${location.split(',')[0]}.`;
    const paragraphs = [
      `${company.name} is looking for a ${title} to join a small, product-minded team. We build software that our customers rely on every day, and we care about doing it well, with a sustainable pace and a friendly culture.`,
      remoteLine,
      'What you will do:',
      duties.map((d) => `- ${d}`).join('\n'),
      'What we are looking for:',
      skills.map((s) => `- ${s}`).join('\n'),
      `What we offer: ${benefits.join(' ')}`,
      ...(salary
        ? [`The base salary range for this role is ${salary}, depending on experience and location.`]
        : []),
      `${company.name} is an equal opportunity employer. We welcome applications from everyone, whatever their background.`,
    ];
    const applyUrl =
      rng() < 0.5
        ? `${pick(rng, APPLY_HOSTS)}/${slugify(company.name)}/${jobId.slice(-6)}?source=linkedin`
        : undefined;
    const posting: FakePosting = {
      jobId,
      title,
      company: company.name,
      location,
      description: paragraphs.join('\n\n'),
      postedAt: isoDay(today - days * DAY_MS),
      workplace,
      jobType,
      seniority: jobType === 'I' ? 'Internship' : (SENIORITY[level] ?? 'Associate'),
      employmentType: JOB_TYPE_LABEL[jobType],
      jobFunction: pick(rng, FUNCTIONS),
      industries: company.industry,
      applicants: Math.floor(rng() * 320),
    };
    if (salary !== undefined) posting.salary = salary;
    if (applyUrl !== undefined) posting.applyUrl = applyUrl;
    postings.push(posting);
  }
  return postings;
}

/* -------------------------------------------------------------------------------------------------
 * Matching
 * -----------------------------------------------------------------------------------------------*/

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:[+#]+|\.js)?/gu) ?? [];
}

interface IndexedPosting {
  posting: FakePosting;
  words: Set<string>;
  queries: Set<string>;
  location: string;
}

function indexPostings(postings: FakePosting[]): IndexedPosting[] {
  return postings.map((posting) => ({
    posting,
    words: new Set(words(`${posting.title} ${posting.description}`)),
    queries: new Set((posting.queries ?? []).map((q) => q.trim().toLowerCase())),
    location: posting.location.toLowerCase(),
  }));
}

const WORKPLACE_CODE: Record<NonNullable<FakePosting['workplace']>, string> = {
  onsite: '1',
  remote: '2',
  hybrid: '3',
};

/** The postings the search endpoint serves for a query, in catalogue order (all pages). */
function matchPostings(index: IndexedPosting[], query: Record<string, string>, now: Date): FakePosting[] {
  const keywords = (query.keywords ?? '').trim().toLowerCase();
  const keywordWords = words(keywords);
  let matches = index.filter(
    (p) => keywords === '' || p.queries.has(keywords) || keywordWords.every((w) => p.words.has(w)),
  );
  const location = (query.location ?? '').trim().toLowerCase();
  if (location !== '') {
    const inLocation = matches.filter((p) => p.location.includes(location));
    const anywhere = index.some((p) => p.location.includes(location));
    if (anywhere) matches = inLocation;
  }
  const tpr = /^r(\d+)$/.exec((query.f_TPR ?? '').trim());
  if (tpr) {
    const maxDays = Math.floor(Number(tpr[1]) / 86_400);
    matches = matches.filter((p) => daysAgo(p.posting.postedAt, now) <= maxDays);
  }
  const wt = (query.f_WT ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (wt.length > 0)
    matches = matches.filter((p) => wt.includes(WORKPLACE_CODE[p.posting.workplace ?? 'onsite']));
  const jt = (query.f_JT ?? '')
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  if (jt.length > 0) matches = matches.filter((p) => jt.includes(p.posting.jobType ?? 'F'));
  return matches.map((p) => p.posting);
}

/* -------------------------------------------------------------------------------------------------
 * Server
 * -----------------------------------------------------------------------------------------------*/

function garble(body: string, rng: () => number): string {
  if (rng() < 0.5 && body.length > 40) {
    // Truncated mid-document, as when a connection drops.
    return body.slice(0, Math.floor(body.length * (0.2 + rng() * 0.6)));
  }
  const junk = ['<html><body><h1>', '\u0000\ufffd\ufffd', '{"error":', '<<<>>>', '</li></ul>', 'Lorem ipsum'];
  let out = '';
  for (let i = 0; i < 20; i++) out += pick(rng, junk);
  return out;
}

/** `description` followed by filler paragraphs up to about `bytes`. */
function padDescription(description: string, bytes: number): string {
  const paragraph =
    'We value clear writing, careful reviews and steady delivery; this paragraph repeats to make the description long.';
  const count = Math.max(0, Math.ceil((bytes - description.length) / (paragraph.length + 2)));
  return [description, ...Array.from({ length: count }, () => paragraph)].join('\n\n');
}

export async function startFakeLinkedIn(options: FakeLinkedInOptions = {}): Promise<FakeLinkedIn> {
  let opts: FakeLinkedInOptions = { ...options };
  let rng = makeRng(opts.seed ?? 1);
  let postings = opts.postings ?? generatePostings(120, opts.seed ?? 1);
  let index = indexPostings(postings);
  let byId = new Map(postings.map((p) => [p.jobId, p]));
  const requests: FakeLinkedIn['requests'] = [];
  const timers = new Set<NodeJS.Timeout>();
  let requestCount = 0;
  let closed = false;

  const clock = (): Date => (opts.now ? opts.now() : new Date());

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query: Record<string, string> = {};
    url.searchParams.forEach((value, key) => {
      query[key] = value;
    });
    const entry = { time: Date.now(), path: url.pathname, query, status: 0 };
    requests.push(entry);
    const info: FakeRequestInfo = { path: url.pathname, query, index: requestCount++ };

    const send = (status: number, body: string, headers: Record<string, string> = {}): void => {
      const respond = (): void => {
        if (res.writableEnded || res.destroyed) return;
        entry.status = status;
        res.writeHead(status, {
          'content-type': 'text/html; charset=utf-8',
          'content-length': String(Buffer.byteLength(body)),
          ...headers,
        });
        res.end(body);
      };
      const latency = opts.latencyMs ?? 0;
      if (latency > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          respond();
        }, latency);
        timers.add(timer);
      } else {
        respond();
      }
    };

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, '');
      return;
    }
    if (url.pathname === '/authwall') {
      send(200, AUTH_WALL_HTML);
      return;
    }

    const isSearch = url.pathname === SEARCH_PATH;
    const detailMatch = /^\/jobs-guest\/jobs\/api\/jobPosting\/(\d+)\/?$/.exec(url.pathname);
    if (!isSearch && !detailMatch) {
      send(404, '<!DOCTYPE html><html><body><h1>Page not found</h1></body></html>');
      return;
    }

    const hostile = opts.hostile?.(info);
    if (hostile?.kind === 'gzip-bomb') {
      entry.status = 200;
      sendGzipBomb(res, hostile.inflatedBytes, { 'content-type': 'text/html; charset=utf-8' });
      return;
    }
    if (hostile?.kind === 'oversized') {
      entry.status = 200;
      sendOversized(res, hostile.bytes, { 'content-type': 'text/html; charset=utf-8' });
      return;
    }
    if (hostile?.kind === 'redirect') {
      send(hostile.status ?? 302, '', { location: hostile.location });
      return;
    }

    // Faults, in a fixed order, each drawing from the seeded PRNG.
    const wall = typeof opts.authWall === 'function' ? opts.authWall(info) : opts.authWall === true;
    if (wall) {
      send(200, AUTH_WALL_HTML);
      return;
    }
    const scripted = opts.failWith?.(info) ?? null;
    if (scripted !== null) {
      send(scripted, '<!DOCTYPE html><html><body>Something went wrong</body></html>');
      return;
    }
    if (rng() < (opts.rateOfTimeout ?? 0)) return; // never answered; close() destroys the socket
    if (rng() < (opts.rateOf429 ?? 0)) {
      const retryAfter = opts.retryAfterSeconds;
      send(429, '', retryAfter != null ? { 'retry-after': String(retryAfter) } : {});
      return;
    }
    if (rng() < (opts.rateOf5xx ?? 0)) {
      send(pick(rng, [500, 502, 503, 504]), '<!DOCTYPE html><html><body>Something went wrong</body></html>');
      return;
    }
    const garbled = rng() < (opts.garbage ?? 0);
    const now = clock();

    if (isSearch) {
      const start = Math.max(0, Number.parseInt(query.start ?? '0', 10) || 0);
      const all = matchPostings(index, query, now);
      const page = all.slice(start, start + PAGE_SIZE);
      const body = renderSearchFragment(page, start, now);
      send(200, garbled && body !== '' ? garble(body, rng) : body);
      return;
    }
    const posting = detailMatch ? byId.get(detailMatch[1] as string) : undefined;
    if (posting === undefined) {
      send(404, '');
      return;
    }
    const served =
      hostile?.kind === 'long-description'
        ? { ...posting, description: padDescription(posting.description, hostile.bytes) }
        : posting;
    const body = renderJobPosting(served, now);
    send(200, garbled ? garble(body, rng) : body);
  });

  const listener = await listenOnLoopback(server, opts.host);

  return {
    url: listener.url,
    get connections() {
      return listener.connections;
    },
    requests,
    get postings() {
      return postings;
    },
    setOptions(partial) {
      opts = { ...opts, ...partial };
      if (partial.seed !== undefined) rng = makeRng(partial.seed);
      if (partial.postings !== undefined) {
        postings = partial.postings;
        index = indexPostings(postings);
        byId = new Map(postings.map((p) => [p.jobId, p]));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await listener.close();
    },
  };
}
