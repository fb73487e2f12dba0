import type { Clock } from '../../core/clock.js';
import type { PoliteClient } from '../../net/polite-client.js';
import type { FoundLink } from '../../jobs/model.js';
import type {
  DetailResult,
  JobSource,
  JobType,
  SearchRequest,
  SearchResult,
  Since,
} from '../../jobs/job-source.js';
import { looksLikeAuthWall } from './auth-wall.js';
import type { LinkedInParser } from './parser-worker-client.js';

export const SEARCH_PATH = '/jobs-guest/jobs/api/seeMoreJobPostings/search';
export const DETAIL_PATH = '/jobs-guest/jobs/api/jobPosting/';

/** LinkedIn's f_TPR values: seconds since posting. */
const SINCE_FILTER: Record<Since, string> = { '24h': 'r86400', week: 'r604800', month: 'r2592000' };
/** LinkedIn's f_JT letters. */
export const JOB_TYPE_FILTER: Record<JobType, string> = {
  'full-time': 'F',
  'part-time': 'P',
  contract: 'C',
  temporary: 'T',
  internship: 'I',
  volunteer: 'V',
  other: 'O',
};

export function searchPath(request: SearchRequest): string {
  const params = new URLSearchParams({
    keywords: request.query,
    location: request.location,
    start: String(request.start),
  });
  if (request.since) params.set('f_TPR', SINCE_FILTER[request.since]);
  if (request.remote) params.set('f_WT', '2');
  if (request.jobType) params.set('f_JT', JOB_TYPE_FILTER[request.jobType]);
  return `${SEARCH_PATH}?${params.toString()}`;
}

/** LinkedIn's guest job search and job detail endpoints, through the polite client. */
export class LinkedInSource implements JobSource {
  readonly name = 'linkedin';

  constructor(
    private readonly client: PoliteClient,
    private readonly parser: LinkedInParser,
    private readonly clock: Clock,
  ) {}

  get stopped(): boolean {
    return this.client.breakerOpen;
  }

  async search(request: SearchRequest, signal: AbortSignal): Promise<SearchResult> {
    const response = await this.client.get(searchPath(request), signal);
    if (looksLikeAuthWall(response.body)) return { kind: 'blocked' };
    // Past the last page LinkedIn answers 400 or an empty body: both mean "no more cards".
    if (response.status === 400 || response.status === 404) return { kind: 'page', links: [] };
    if (response.status >= 400) throw new Error(`LinkedIn answered ${response.status} to a search`);
    const page = await this.parser.parseSearchPage(response.body);
    if (page.blocked) return { kind: 'blocked' };
    // The card's company lets the collector skip a blocked company's postings before their detail request.
    const links = page.cards.map((card) => ({ jobId: card.jobId, link: card.link, company: card.company }));
    return { kind: 'page', links };
  }

  async detail(found: FoundLink, signal: AbortSignal): Promise<DetailResult> {
    const response = await this.client.get(`${DETAIL_PATH}${encodeURIComponent(found.jobId)}`, signal);
    if (looksLikeAuthWall(response.body)) return { kind: 'blocked' };
    if (response.status === 404 || response.status === 410) return { kind: 'gone' };
    if (response.status >= 400)
      throw new Error(`LinkedIn answered ${response.status} for job ${found.jobId}`);
    const page = await this.parser.parseJobPosting(response.body, this.clock.now());
    if (page.blocked) return { kind: 'blocked' };
    const detail = page.posting;
    // A 200 without a title is a broken or truncated page, not a posting: retry it next run.
    if (!detail?.title) throw new Error(`LinkedIn sent an unreadable page for job ${found.jobId}`);
    return {
      kind: 'posting',
      posting: {
        jobId: found.jobId,
        link: found.link,
        title: detail.title,
        company: detail.company,
        location: detail.location,
        dateText: detail.dateText,
        applicantsText: detail.applicantsText,
        salary: detail.salary,
        salaryMin: detail.salaryMin,
        salaryMax: detail.salaryMax,
        salaryCurrency: detail.salaryCurrency,
        salaryPeriod: detail.salaryPeriod,
        closed: detail.closed,
        description: detail.descriptionMarkdown,
        seniority: detail.seniority,
        employmentType: detail.employmentType,
        jobFunction: detail.jobFunction,
        industries: detail.industries,
        companyUrl: detail.companyUrl,
        applyUrl: detail.applyUrl,
        postedDate: detail.postedAt,
        applicants: detail.applicants,
      },
    };
  }
}
