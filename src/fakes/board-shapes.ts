/**
 * Each kind's answers in the shapes of the real captures in ../shared/fixtures/real/<kind>/: the same
 * keys, nesting and value types (test/unit/boards-fake.test.ts compares them key by key). Values are the
 * fake's own; URLs of the postings themselves point at the real public hosts, as the real answers do,
 * while URLs a client follows (Arbeitnow's `links`, SmartRecruiters' `ref`) point at the fake.
 */
import { createHash } from 'node:crypto';
import {
  formatAmount,
  payText,
  placeOf,
  urlSlug,
  type FakeBoard,
  type FakeBoardJob,
  type FakeEmployment,
  type FakePay,
  type FakeWorkplace,
} from './board-catalogue.js';
import { escapeHtml } from './linkedin-server.js';

/** What a renderer needs besides the job: where the fake is (for links a client follows). */
export interface ShapeContext {
  /** http://127.0.0.1:PORT of the listener that answers. */
  baseUrl: string;
}

const HOUR_MS = 3_600_000;

/* -------------------------------------------------------------------------------------------------
 * Helpers
 * -----------------------------------------------------------------------------------------------*/

/** Text of a fragment of the fake's HTML: block ends become line breaks, tags go, the five entities decode. */
export function plainText(html: string): string {
  return html
    .replace(/<\/(?:p|li|h\d)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** A description cut the way Lever and SmartRecruiters present it: an opening, titled lists, the rest. */
interface DescriptionParts {
  opening: string;
  lists: Array<{ text: string; content: string }>;
  closing: string;
}

/**
 * The fake's descriptions are `<p>`s and `<ul>`s: the first paragraph opens, each `<ul>` with the
 * paragraph before it as its title is a list, what follows the last list closes. Other HTML (a test's
 * own) is all opening.
 */
function descriptionParts(html: string): DescriptionParts {
  const blocks = html.match(/<(p|ul)>[\s\S]*?<\/\1>/g);
  if (!blocks || blocks.join('') !== html) return { opening: html, lists: [], closing: '' };
  const lists: DescriptionParts['lists'] = [];
  let opening = '';
  let closing = '';
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    if (block.startsWith('<ul>')) return;
    if (next?.startsWith('<ul>')) {
      lists.push({ text: plainText(block).replace(/:$/, ''), content: next.slice(4, -5) });
    } else if (i === 0) {
      opening = block;
    } else if (lists.length === 0) {
      opening += block;
    } else {
      closing += block;
    }
  });
  return { opening, lists, closing };
}

/** "2026-07-27T10:34:32-04:00": Greenhouse writes its times in US Eastern (daylight) time. */
function easternTime(iso: string): string {
  return `${new Date(Date.parse(iso) - 4 * HOUR_MS).toISOString().slice(0, 19)}-04:00`;
}

/** "2026-08-10 15:13:59 UTC" (Recruitee). */
function utcWords(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

const unixSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** A stable UUID made from a seed string (Ashby's compensation ids, SmartRecruiters' uuid and jobAdId). */
function derivedUuid(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A stable number from a string, for the ids boards keep beside the job's own. */
function derivedNumber(seed: string, digits: number): number {
  const hex = createHash('sha1').update(seed).digest('hex').slice(0, 12);
  return (parseInt(hex, 16) % 9 ** digits) + 10 ** (digits - 1);
}

function payParagraph(pay: FakePay | null): string {
  return pay ? `<p>The pay range for this role is ${escapeHtml(payText(pay))}.</p>` : '';
}

/** Where the job's own page is, on the board's public host (what LinkedIn's apply links point at). */
export function publicJobUrl(board: FakeBoard, job: FakeBoardJob): string {
  const name = encodeURIComponent(board.name);
  switch (board.kind) {
    case 'greenhouse':
      return `https://job-boards.greenhouse.io/${name}/jobs/${job.id}`;
    case 'lever':
      return `https://jobs${board.region === 'eu' ? '.eu' : ''}.lever.co/${name}/${job.id}`;
    case 'ashby':
      return `https://jobs.ashbyhq.com/${name}/${job.id}`;
    case 'smartrecruiters':
      return `https://jobs.smartrecruiters.com/${name}/${job.id}-${urlSlug(job.title)}`;
    case 'recruitee':
      return `https://${name.toLowerCase()}.recruitee.com/o/${recruiteeSlug(job)}`;
    case 'workable':
      return `https://apply.workable.com/j/${job.id}`;
    case 'remotive':
      return `https://remotive.com/remote-jobs/${urlSlug(remotiveCategory(job))}/${urlSlug(job.title)}-${job.id}`;
    case 'arbeitnow':
      return `https://www.arbeitnow.com/jobs/companies/${urlSlug(job.company)}/${job.id}`;
    case 'remoteok':
      return `https://remoteOK.com/remote-jobs/${remoteOkSlug(job)}`;
  }
}

/* -------------------------------------------------------------------------------------------------
 * Greenhouse: /v1/boards/<b>/jobs[?content=true], /v1/boards/<b>/jobs/<id>
 * -----------------------------------------------------------------------------------------------*/

const GREENHOUSE_LOCATION_TYPE: Record<FakeWorkplace, string> = {
  onsite: 'On-Site',
  remote: 'Remote',
  hybrid: 'Hybrid',
};
const GREENHOUSE_PAY_TITLE: Record<FakePay['period'], string> = {
  year: 'Annual Salary:',
  month: 'Monthly Salary:',
  hour: 'Hourly Pay:',
};

/** Pay the way Greenhouse boards show it: a `content-pay-transparency` block at the end of the content. */
function greenhousePayBlock(pay: FakePay): string {
  return (
    '<div class="content-pay-transparency"><div class="pay-input"><div class="description">' +
    '<p>The base pay range for this role is listed below.</p></div>' +
    `<div class="title">${GREENHOUSE_PAY_TITLE[pay.period]}</div><div class="pay-range">` +
    `<span>${escapeHtml(formatAmount(pay.min, pay.currency))}</span><span class="divider">&mdash;</span>` +
    `<span>${escapeHtml(formatAmount(pay.max, pay.currency))} ${pay.currency}</span></div></div></div>`
  );
}

function greenhouseJob(board: FakeBoard, job: FakeBoardJob, withContent: boolean): Record<string, unknown> {
  const place = placeOf(job.location);
  const listed: Record<string, unknown> = {
    absolute_url: publicJobUrl(board, job),
    data_compliance: [
      {
        type: 'gdpr',
        requires_consent: false,
        requires_processing_consent: false,
        requires_retention_consent: false,
        retention_period: null,
        demographic_data_consent_applies: place.countryCode !== 'US',
      },
    ],
    internal_job_id: derivedNumber(`internal:${job.id}`, 7),
    location: { name: job.location },
    metadata: [
      {
        id: 4036944008,
        name: 'Location Type',
        value: GREENHOUSE_LOCATION_TYPE[job.workplace],
        value_type: 'single_select',
      },
    ],
    id: Number(job.id),
    updated_at: easternTime(job.updatedAt),
    requisition_id: `REQ-${derivedNumber(`req:${job.id}`, 4)}`,
    title: job.title,
    company_name: job.company,
    first_published: easternTime(job.publishedAt),
    language: 'en',
  };
  if (!withContent) return listed;
  const html =
    `<div class="content-intro"><p>At ${escapeHtml(job.company)}, we build things people rely on.</p></div>` +
    job.descriptionHtml +
    (job.pay ? greenhousePayBlock(job.pay) : '');
  return {
    ...listed,
    application_deadline: null,
    // Greenhouse sends the content HTML entity-escaped.
    content: escapeHtml(html),
    departments: [
      {
        id: derivedNumber(`dept:${job.department}`, 5),
        name: job.department,
        child_ids: [],
        parent_id: null,
      },
    ],
    offices: [
      {
        id: derivedNumber(`office:${job.location}`, 5),
        name: place.city || place.country,
        location: job.location,
        child_ids: [],
        parent_id: null,
      },
    ],
    ai_disclaimer: null,
    include_ai_disclaimer: null,
    ai_opt_out_request_url: null,
  };
}

export function greenhouseListing(board: FakeBoard, withContent: boolean): unknown {
  return {
    jobs: board.jobs.map((job) => greenhouseJob(board, job, withContent)),
    meta: { total: board.jobs.length },
  };
}

/** The single-job endpoint: always with its content, departments and offices. */
export function greenhouseDetail(board: FakeBoard, job: FakeBoardJob): unknown {
  return greenhouseJob(board, job, true);
}

/* -------------------------------------------------------------------------------------------------
 * Lever: /v0/postings/<site>?mode=json, /v0/postings/<site>/<id>
 * -----------------------------------------------------------------------------------------------*/

const LEVER_COMMITMENT: Record<FakeEmployment, string> = {
  'full-time': 'Full-time',
  'part-time': 'Part-time',
  contract: 'Contractor',
  internship: 'Internship',
};
const LEVER_INTERVAL: Record<FakePay['period'], string> = {
  year: 'per-year-salary',
  month: 'per-month-salary',
  hour: 'per-hour-wage',
};

export function leverPosting(board: FakeBoard, job: FakeBoardJob): Record<string, unknown> {
  const parts = descriptionParts(job.descriptionHtml);
  const opening = `<div>${parts.opening}</div>`;
  const body = `<div>${parts.lists.length === 0 ? '' : `<p>${escapeHtml(job.title)} at ${escapeHtml(job.company)}.</p>`}</div>`;
  const additional = `<div>${parts.closing}</div>`;
  const place = placeOf(job.location);
  const hostedUrl = publicJobUrl(board, job);
  const posting: Record<string, unknown> = {
    additionalPlain: plainText(additional),
    additional,
    categories: {
      commitment: LEVER_COMMITMENT[job.employment],
      department: job.department,
      location: job.location,
      team: job.department,
      allLocations: [job.location],
    },
    createdAt: Date.parse(job.publishedAt),
    descriptionPlain: plainText(opening + body),
    description: opening + body,
    id: job.id,
    lists: parts.lists.map((list) => ({ text: list.text, content: list.content })),
    text: job.title,
    country: place.countryCode || null,
    workplaceType: job.workplace,
    opening,
    openingPlain: plainText(opening),
    descriptionBody: body,
    descriptionBodyPlain: plainText(body),
    hostedUrl,
    applyUrl: `${hostedUrl}/apply`,
  };
  if (job.pay) {
    const salaryDescription = `<div>${payParagraph(job.pay)}</div>`;
    posting.salaryRange = {
      min: job.pay.min,
      max: job.pay.max,
      currency: job.pay.currency,
      interval: LEVER_INTERVAL[job.pay.period],
    };
    posting.salaryDescription = salaryDescription;
    posting.salaryDescriptionPlain = plainText(salaryDescription);
  }
  return posting;
}

/* -------------------------------------------------------------------------------------------------
 * Ashby: /posting-api/job-board/<b>[?includeCompensation=true]
 * -----------------------------------------------------------------------------------------------*/

const ASHBY_EMPLOYMENT: Record<FakeEmployment, string> = {
  'full-time': 'FullTime',
  'part-time': 'PartTime',
  contract: 'Contract',
  internship: 'Intern',
};
const ASHBY_WORKPLACE: Record<FakeWorkplace, string> = {
  onsite: 'OnSite',
  remote: 'Remote',
  hybrid: 'Hybrid',
};
const ASHBY_INTERVAL: Record<FakePay['period'], string> = {
  year: '1 YEAR',
  month: '1 MONTH',
  hour: '1 HOUR',
};

/** "$211.4K", "€3K", "CA$25.00": Ashby's short amounts. */
function ashbyAmount(value: number, currency: string): string {
  if (value < 1000) return formatAmount(value, currency).replace(/(\d)$/, '$1.00');
  const thousands = (value / 1000).toFixed(1).replace(/\.0$/, '');
  return formatAmount(0, currency).replace(/0$/, `${thousands}K`);
}

function ashbyCompensation(job: FakeBoardJob): Record<string, unknown> {
  const pay = job.pay;
  if (!pay) {
    return {
      compensationTierSummary: null,
      scrapeableCompensationSalarySummary: null,
      compensationTiers: [],
      summaryComponents: [],
    };
  }
  const low = ashbyAmount(pay.min, pay.currency);
  const high = ashbyAmount(pay.max, pay.currency);
  const per = pay.period === 'year' ? '' : ` per ${pay.period}`;
  const summary = `${low} – ${high}${per}`;
  const component = {
    compensationType: 'Salary',
    interval: ASHBY_INTERVAL[pay.period],
    currencyCode: pay.currency,
    minValue: pay.min,
    maxValue: pay.max,
  };
  return {
    compensationTierSummary: summary,
    scrapeableCompensationSalarySummary: pay.period === 'year' ? `${low} - ${high}` : null,
    compensationTiers: [
      {
        id: derivedUuid(`tier:${job.id}`),
        tierSummary: summary,
        title: null,
        additionalInformation: null,
        components: [{ id: derivedUuid(`component:${job.id}`), summary, ...component }],
      },
    ],
    summaryComponents: [component],
  };
}

function ashbyJob(board: FakeBoard, job: FakeBoardJob, withCompensation: boolean): Record<string, unknown> {
  const place = placeOf(job.location);
  const postalAddress: Record<string, string> = {};
  if (place.region) postalAddress.addressRegion = place.region;
  if (place.country) postalAddress.addressCountry = place.country;
  if (place.city) postalAddress.addressLocality = place.city;
  const jobUrl = publicJobUrl(board, job);
  const ashby: Record<string, unknown> = {
    id: job.id,
    title: job.title,
    department: job.department,
    team: job.department,
    employmentType: ASHBY_EMPLOYMENT[job.employment],
    location: place.city || place.country,
    shouldDisplayCompensationOnJobPostings: job.pay !== null,
    secondaryLocations: [],
    publishedAt: job.publishedAt.replace('Z', '+00:00'),
    isListed: true,
    isRemote: job.workplace === 'remote',
    workplaceType: ASHBY_WORKPLACE[job.workplace],
    address: { postalAddress },
    jobUrl,
    applyUrl: `${jobUrl}/application`,
    descriptionHtml: job.descriptionHtml,
    descriptionPlain: plainText(job.descriptionHtml),
  };
  if (withCompensation) ashby.compensation = ashbyCompensation(job);
  return ashby;
}

export function ashbyListing(board: FakeBoard, withCompensation: boolean): unknown {
  return { jobs: board.jobs.map((job) => ashbyJob(board, job, withCompensation)), apiVersion: '1' };
}

/* -------------------------------------------------------------------------------------------------
 * SmartRecruiters: /v1/companies/<c>/postings?limit&offset, /v1/companies/<c>/postings/<id>
 * -----------------------------------------------------------------------------------------------*/

const SMARTRECRUITERS_EMPLOYMENT: Record<FakeEmployment, { id: string; label: string }> = {
  'full-time': { id: 'permanent', label: 'Full-time' },
  'part-time': { id: 'part_time', label: 'Part-time' },
  contract: { id: 'contract', label: 'Contract' },
  internship: { id: 'intern', label: 'Intern' },
};

function smartRecruitersPosting(
  board: FakeBoard,
  job: FakeBoardJob,
  context: ShapeContext,
): Record<string, unknown> {
  const place = placeOf(job.location);
  const fullLocation = [place.city, place.region, place.country].filter(Boolean).join(', ');
  return {
    id: job.id,
    name: job.title,
    uuid: derivedUuid(`uuid:${job.id}`),
    jobAdId: derivedUuid(`ad:${job.id}`),
    defaultJobAd: true,
    refNumber: `REF${derivedNumber(`ref:${job.id}`, 5)}V`,
    company: { identifier: board.name, name: board.company },
    releasedDate: job.publishedAt,
    location: {
      city: place.city,
      region: place.region,
      country: place.countryCode.toLowerCase(),
      remote: job.workplace === 'remote',
      hybrid: job.workplace === 'hybrid',
      fullLocation,
    },
    industry: { id: 'computer_software', label: 'Computer Software' },
    department: {},
    function: { id: 'information_technology', label: 'Information Technology' },
    typeOfEmployment: SMARTRECRUITERS_EMPLOYMENT[job.employment],
    experienceLevel: { id: 'mid_senior_level', label: 'Mid-Senior Level' },
    customField: [
      {
        fieldId: 'COUNTRY',
        fieldLabel: 'Country/Region',
        valueId: place.countryCode.toLowerCase(),
        valueLabel: place.country,
      },
    ],
    visibility: 'PUBLIC',
    ref: `${context.baseUrl}/v1/companies/${encodeURIComponent(board.name)}/postings/${job.id}`,
    language: { code: 'en', label: 'English', labelNative: 'English (US)' },
  };
}

/** One page of the list: no description and no pay (the detail has them). */
export function smartRecruitersPage(
  board: FakeBoard | undefined,
  offset: number,
  limit: number,
  context: ShapeContext,
): unknown {
  const jobs = board?.jobs ?? [];
  return {
    offset,
    limit,
    totalFound: jobs.length,
    content: board
      ? jobs.slice(offset, offset + limit).map((job) => smartRecruitersPosting(board, job, context))
      : [],
  };
}

/**
 * The detail, in the shape of SmartRecruiters' public Posting API documentation (no real capture of it is
 * in the fixtures): the list's fields plus `creator`, the posting's URLs and `jobAd.sections` (HTML), pay
 * stated in the additional information as the companies that publish it there do.
 */
export function smartRecruitersDetail(board: FakeBoard, job: FakeBoardJob, context: ShapeContext): unknown {
  const parts = descriptionParts(job.descriptionHtml);
  const [duties, skills] = parts.lists;
  const section = (title: string, text: string) => ({ title, text });
  const list = (part: { text: string; content: string } | undefined): string =>
    part ? `<p>${escapeHtml(part.text)}</p><ul>${part.content}</ul>` : '';
  const postingUrl = publicJobUrl(board, job);
  return {
    ...smartRecruitersPosting(board, job, context),
    creator: { name: 'Alex Recruiter' },
    postingUrl,
    applyUrl: `${postingUrl}?oga=true`,
    referralUrl: `${postingUrl}?dcr_ci=${encodeURIComponent(board.name)}`,
    jobAd: {
      sections: {
        companyDescription: section('Company Description', parts.opening),
        jobDescription: section('Job Description', list(duties)),
        qualifications: section('Qualifications', list(skills)),
        additionalInformation: section('Additional Information', parts.closing + payParagraph(job.pay)),
      },
    },
  };
}

/* -------------------------------------------------------------------------------------------------
 * Recruitee: <company>.recruitee.com/api/offers/ (the fake: /recruitee/<company>/api/offers/)
 * -----------------------------------------------------------------------------------------------*/

const RECRUITEE_EMPLOYMENT: Record<FakeEmployment, string> = {
  'full-time': 'fulltime_permanent',
  'part-time': 'parttime_permanent',
  contract: 'contract',
  internship: 'internship',
};

function recruiteeSlug(job: FakeBoardJob): string {
  return `${urlSlug(job.title)}-${job.id}`;
}

function recruiteeOffer(board: FakeBoard, job: FakeBoardJob, position: number): Record<string, unknown> {
  const place = placeOf(job.location);
  const careersUrl = publicJobUrl(board, job);
  const guid = Number(job.id).toString(36).slice(-5);
  const host = `${board.name.toLowerCase()}.recruitee.com`;
  const parts = descriptionParts(job.descriptionHtml);
  const requirements = parts.lists.map((list) => `<ul>${list.content}</ul>`).join('');
  const amount = (value: number | undefined): string | null =>
    value === undefined ? null : value.toFixed(2);
  return {
    location: job.location,
    position,
    education_code: 'bachelor_degree',
    sharing_image: `https://recruitee-main.s3.eu-central-1.amazonaws.com/offers/${job.id}/normal_sharing.jpg`,
    close_at: null,
    guid,
    careers_url: careersUrl,
    state_name: place.region,
    updated_at: utcWords(job.updatedAt),
    employment_type_code: RECRUITEE_EMPLOYMENT[job.employment],
    city: place.city,
    options_salutation: 'off',
    options_title: 'off',
    department: job.department,
    mailbox_email: `job.${guid}@${host}`,
    locations_question: 'What is your preferred work location?',
    max_hours_per_week: null,
    min_hours_per_week: null,
    dynamic_fields: [],
    highlight: null,
    locations: [
      {
        id: derivedNumber(`location:${job.location}`, 6),
        name: place.city || place.country,
        state: place.region,
        country: place.country,
        city: place.city,
        translations: {
          en: {
            name: place.city || place.country,
            city: place.city,
            postal_code: null,
            street: null,
            note: null,
          },
        },
        country_code: place.countryCode,
        postal_code: null,
        state_code: place.region,
        street: null,
        note: null,
      },
    ],
    options_cover_letter: 'off',
    cover_image: null,
    state_code: place.region,
    options_cv: 'required',
    on_site: job.workplace === 'onsite',
    salary: {
      max: amount(job.pay?.max),
      min: amount(job.pay?.min),
      period: job.pay?.period ?? null,
      currency: job.pay?.currency ?? null,
    },
    requirements,
    country: place.country,
    careers_apply_url: `${careersUrl}/c/new`,
    options_photo: 'off',
    company_name: board.company,
    description: parts.opening + parts.closing,
    location_question_visible: false,
    country_code: place.countryCode,
    published_at: utcWords(job.publishedAt),
    sharing_title: job.title,
    postal_code: null,
    category_code: 'it',
    tags: job.tags,
    options_phone: 'optional',
    remote: job.workplace === 'remote',
    title: job.title,
    locations_question_type: 'multiple_choice',
    hybrid: job.workplace === 'hybrid',
    id: Number(job.id),
    sharing_description: plainText(parts.opening).slice(0, 200),
    created_at: utcWords(job.publishedAt),
    min_hours: null,
    slug: recruiteeSlug(job),
    status: 'published',
    max_hours: null,
    locations_question_required: false,
    experience_code: 'experienced',
  };
}

export function recruiteeListing(board: FakeBoard): unknown {
  return { offers: board.jobs.map((job, i) => recruiteeOffer(board, job, i + 1)) };
}

/* -------------------------------------------------------------------------------------------------
 * Workable: /api/v1/widget/accounts/<a>[?details=true]
 * -----------------------------------------------------------------------------------------------*/

const WORKABLE_EMPLOYMENT: Record<FakeEmployment, string> = {
  'full-time': 'Full-time',
  'part-time': 'Part-time',
  contract: 'Contract',
  internship: 'Internship',
};

function workableJob(board: FakeBoard, job: FakeBoardJob, withDetails: boolean): Record<string, unknown> {
  const place = placeOf(job.location);
  const url = publicJobUrl(board, job);
  const workable: Record<string, unknown> = {
    title: job.title,
    shortcode: job.id,
    code: '',
    employment_type: WORKABLE_EMPLOYMENT[job.employment],
    telecommuting: job.workplace === 'remote',
    department: job.department,
    url,
    shortlink: url,
    application_url: `${url}/apply`,
    published_on: job.publishedAt.slice(0, 10),
    created_at: job.publishedAt.slice(0, 10),
    country: place.country,
    city: place.city,
    state: place.region,
    education: '',
    experience: 'Mid-Senior level',
    function: 'Engineering',
    industry: 'Computer Software',
    locations: [
      {
        country: place.country,
        countryCode: place.countryCode,
        city: place.city,
        region: place.region,
        hidden: false,
      },
    ],
  };
  if (withDetails) workable.description = job.descriptionHtml + payParagraph(job.pay);
  return workable;
}

export function workableListing(board: FakeBoard, withDetails: boolean): unknown {
  return { name: board.company, jobs: board.jobs.map((job) => workableJob(board, job, withDetails)) };
}

/* -------------------------------------------------------------------------------------------------
 * Remotive: /api/remote-jobs[?category&search&limit]
 * -----------------------------------------------------------------------------------------------*/

/** Remotive's category by the words of the title (its categories are about the work, not the team). */
const REMOTIVE_CATEGORIES: Array<[RegExp, string]> = [
  [/\b(?:Data|Machine Learning)\b/, 'Data Analysis'],
  [/\b(?:DevOps|Site Reliability|Cloud|Platform)\b/, 'DevOps / Sysadmin'],
  [/\bQA\b/, 'QA'],
];
const REMOTIVE_JOB_TYPE: Record<FakeEmployment, string> = {
  'full-time': 'full_time',
  'part-time': 'part_time',
  contract: 'contract',
  internship: 'internship',
};

export function remotiveCategory(job: FakeBoardJob): string {
  return REMOTIVE_CATEGORIES.find(([words]) => words.test(job.title))?.[1] ?? 'Software Development';
}

/** Where Remotive says a candidate may live: a region more than a place. */
function remotiveRegion(job: FakeBoardJob): string {
  const { countryCode } = placeOf(job.location);
  if (countryCode === 'US') return 'USA';
  if (countryCode === 'CA') return 'Canada';
  if (['BR', 'IN'].includes(countryCode) || countryCode === '') return 'Worldwide';
  return 'Europe';
}

/** Remotive's free-text pay: "$80k - $100k", "$50 - $75 /hour". */
function remotiveSalary(pay: FakePay | null): string {
  if (!pay) return '';
  const short = (value: number): string =>
    pay.period === 'year'
      ? formatAmount(0, pay.currency).replace(/0$/, `${Math.round(value / 1000)}k`)
      : formatAmount(value, pay.currency);
  return `${short(pay.min)} - ${short(pay.max)}${pay.period === 'year' ? '' : ` /${pay.period}`}`;
}

function remotiveJob(board: FakeBoard, job: FakeBoardJob): Record<string, unknown> {
  return {
    id: Number(job.id),
    url: publicJobUrl(board, job),
    title: job.title,
    company_name: job.company,
    company_logo: `https://remotive.com/job/${job.id}/logo`,
    category: remotiveCategory(job),
    tags: job.tags,
    job_type: REMOTIVE_JOB_TYPE[job.employment],
    publication_date: job.publishedAt.slice(0, 19),
    candidate_required_location: remotiveRegion(job),
    salary: remotiveSalary(job.pay),
    description: job.descriptionHtml,
    company_logo_url: `https://remotive.com/job/${job.id}/logo`,
  };
}

export const REMOTIVE_WARNING =
  'Remotive API: please call remotive.com/api/remote-jobs (this fake serves the same shape offline).';
export const REMOTIVE_LEGAL_NOTICE =
  "Legal notice - Remotive's API lets developers share its jobs further. Please link back to the job's URL on Remotive and mention Remotive as the source. Please do not call the API more than a few times a day: new jobs are added only a few times a day.";

export function remotiveListing(
  board: FakeBoard,
  query: { category?: string; search?: string; limit?: number },
): unknown {
  let jobs = board.jobs;
  if (query.category)
    jobs = jobs.filter((job) => urlSlug(remotiveCategory(job)) === urlSlug(query.category!));
  if (query.search) {
    const needle = query.search.toLowerCase();
    jobs = jobs.filter((job) =>
      [job.title, job.company, ...job.tags].some((text) => text.toLowerCase().includes(needle)),
    );
  }
  if (query.limit !== undefined) jobs = jobs.slice(0, query.limit);
  return {
    '00-warning': REMOTIVE_WARNING,
    '0-legal-notice': REMOTIVE_LEGAL_NOTICE,
    'job-count': jobs.length,
    'total-job-count': board.jobs.length,
    jobs: jobs.map((job) => remotiveJob(board, job)),
  };
}

/* -------------------------------------------------------------------------------------------------
 * Arbeitnow: /api/job-board-api?page=N
 * -----------------------------------------------------------------------------------------------*/

const ARBEITNOW_JOB_TYPE: Record<FakeEmployment, string> = {
  'full-time': 'Full-time permanent',
  'part-time': 'Side',
  contract: 'Freelance',
  internship: 'Internship',
};
export const ARBEITNOW_TERMS =
  'This is a free public API for jobs, please do not abuse. Link back to the site. By using the API, you agree to the terms of service of Arbeitnow.com';

function arbeitnowJob(board: FakeBoard, job: FakeBoardJob): Record<string, unknown> {
  const place = placeOf(job.location);
  return {
    slug: job.id,
    company_name: job.company,
    title: job.title,
    description: job.descriptionHtml + payParagraph(job.pay),
    remote: job.workplace === 'remote',
    url: publicJobUrl(board, job),
    tags: [job.department],
    job_types: [ARBEITNOW_JOB_TYPE[job.employment]],
    location: place.city || place.country,
    created_at: unixSeconds(job.publishedAt),
  };
}

/** Page `page` (from 1) of `perPage` jobs; past the end, no data and no next link. */
export function arbeitnowPage(
  board: FakeBoard,
  page: number,
  perPage: number,
  context: ShapeContext,
): unknown {
  const path = `${context.baseUrl}/api/job-board-api`;
  const pageUrl = (n: number): string => `${path}?page=${n}`;
  const from = (page - 1) * perPage;
  const data = board.jobs.slice(from, from + perPage).map((job) => arbeitnowJob(board, job));
  const more = from + perPage < board.jobs.length;
  return {
    data,
    links: {
      first: pageUrl(1),
      last: null,
      prev: page > 1 ? pageUrl(page - 1) : null,
      next: more ? pageUrl(page + 1) : null,
    },
    meta: {
      current_page: page,
      current_page_url: pageUrl(page),
      from: data.length > 0 ? from + 1 : null,
      path,
      per_page: perPage,
      to: data.length > 0 ? from + data.length : null,
      terms: ARBEITNOW_TERMS,
      info: 'Jobs are updated every hour and ordered by the `created_at` timestamp. Use `?page=` to paginate.',
    },
  };
}

/* -------------------------------------------------------------------------------------------------
 * Remote OK: /api (element 0 is the legal notice)
 * -----------------------------------------------------------------------------------------------*/

export const REMOTEOK_LEGAL =
  'API Terms of Service: Please link back (with follow, and without nofollow!) to the URL on Remote OK and mention Remote OK as a source, so we get traffic back from your site. If you do not we will have to suspend API access.';

function remoteOkSlug(job: FakeBoardJob): string {
  return `remote-${urlSlug(job.title)}-${urlSlug(job.company)}-${job.id}`;
}

function remoteOkJob(board: FakeBoard, job: FakeBoardJob): Record<string, unknown> {
  const url = publicJobUrl(board, job);
  // Remote OK states pay only as yearly USD; anything else it leaves at 0.
  const pay = job.pay?.currency === 'USD' && job.pay.period === 'year' ? job.pay : null;
  return {
    slug: remoteOkSlug(job),
    id: job.id,
    epoch: unixSeconds(job.publishedAt),
    date: `${job.publishedAt.slice(0, 19)}+00:00`,
    company: job.company,
    company_logo: '',
    position: job.title,
    tags: job.tags,
    description: job.descriptionHtml,
    location: job.workplace === 'remote' ? '' : job.location,
    apply_url: url,
    salary_min: pay?.min ?? 0,
    salary_max: pay?.max ?? 0,
    logo: '',
    url,
  };
}

export function remoteOkListing(board: FakeBoard): unknown {
  return [
    { last_updated: Math.floor(board.modifiedAt / 1000), legal: REMOTEOK_LEGAL },
    ...board.jobs.map((job) => remoteOkJob(board, job)),
  ];
}
