import { webUrl } from '../../core/sanitize.js';
import type { ListedPosting, SalaryPeriod } from '../../jobs/model.js';
import {
  asList,
  asNumber,
  asRecord,
  asText,
  isoDate,
  jobsOf,
  joinLocations,
  NO_PAY,
  postingLink,
  structuredPay,
  workplaceTypeOf,
  type BoardPay,
} from '../common/board-fields.js';
import { htmlToMarkdown } from '../common/html-markdown.js';
import { listedPosting, listingId } from '../common/listed-posting.js';

/**
 * Ashby's posting API (`GET /posting-api/job-board/<board>?includeCompensation=true`): `{jobs: [...]}`.
 * Ashby's answer names no company, so the company is the board name as watched ("ashby:ramp" → "ramp").
 */

/** Every listed job of a board; one without an id or a title, or marked unlisted, is skipped. */
export function parseAshbyBoard(value: unknown, board: string): ListedPosting[] {
  return jobsOf(value, `The Ashby board "${board}"`).flatMap((job) => ashbyPosting(job, board) ?? []);
}

function ashbyPosting(value: unknown, board: string): ListedPosting | null {
  const job = asRecord(value);
  const id = asText(job?.id);
  const title = asText(job?.title);
  // An unlisted job is one the company hides from its board page: not a posting to collect.
  if (job === null || id === null || title === null || job.isListed === false) return null;
  const secondary = asList(job.secondaryLocations).map((entry) => asText(asRecord(entry)?.location));
  const jobId = listingId('ashby', id);
  return listedPosting({
    source: 'ashby',
    jobId,
    link: postingLink(
      job.jobUrl,
      jobId,
      `https://jobs.ashbyhq.com/${encodeURIComponent(board)}/${encodeURIComponent(id)}`,
    ),
    applyUrl: webUrl(asText(job.applyUrl)),
    title,
    company: board,
    location: joinLocations([asText(job.location), ...secondary]),
    // `workplaceType` when Ashby sends it (it did not in 2025); otherwise `isRemote: true` says remote.
    workplaceType: workplaceTypeOf(job.workplaceType) ?? (job.isRemote === true ? 'remote' : null),
    postedDate: isoDate(job.publishedAt),
    employmentType: employmentType(asText(job.employmentType)),
    description: typeof job.descriptionHtml === 'string' ? htmlToMarkdown(job.descriptionHtml) : null,
    ...ashbyPay(asRecord(job.compensation)),
  });
}

const EMPLOYMENT_TYPES = new Map([
  ['FullTime', 'Full-time'],
  ['PartTime', 'Part-time'],
  ['Intern', 'Internship'],
  ['Contract', 'Contract'],
  ['Temporary', 'Temporary'],
]);

/** Ashby's enum in the words LinkedIn's criteria use ("FullTime" → "Full-time"). */
function employmentType(value: string | null): string | null {
  return value === null ? null : (EMPLOYMENT_TYPES.get(value) ?? value);
}

const INTERVALS = new Map<string, SalaryPeriod>([
  ['1 YEAR', 'year'],
  ['1 MONTH', 'month'],
  ['1 HOUR', 'hour'],
]);

/**
 * The Salary component of `compensation.summaryComponents` (equity and bonus components are not pay
 * ranges djs compares); `compensationTierSummary` is the text ("€66K – €75K • Offers Equity").
 */
function ashbyPay(compensation: Record<string, unknown> | null): BoardPay {
  const salary = asList(compensation?.summaryComponents)
    .map(asRecord)
    .find((component) => component?.compensationType === 'Salary');
  const period = INTERVALS.get(asText(salary?.interval) ?? '');
  if (!salary || period === undefined) return NO_PAY;
  return structuredPay(
    asNumber(salary.minValue),
    asNumber(salary.maxValue),
    asText(salary.currencyCode),
    period,
    asText(compensation?.compensationTierSummary),
  );
}
