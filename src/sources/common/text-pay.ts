import type { ListedPosting } from '../../jobs/model.js';
import { findSalaryRange, parseSalary } from './salary.js';

/**
 * A range whose top is more than this many times its bottom is a misreading, not a salary ("45-53k €"
 * reads as 45 to 53,000): no numbers rather than wrong ones.
 */
const MAX_SPREAD = 10;

/**
 * Pay stated in a description's prose, for a source without a pay field of its own or whose field is
 * empty ("The pay range for this role is $120,000 – $150,000 USD per year"): the first clearly stated
 * range as `salary` text and as numbers; nothing when the text states none.
 */
export function payInText(text: string | null): Partial<ListedPosting> {
  if (text === null) return {};
  const range = findSalaryRange(text);
  const numbers = range === null ? null : parseSalary(range);
  if (range === null || numbers === null || numbers.max > numbers.min * MAX_SPREAD) return {};
  return {
    salary: range,
    salaryMin: numbers.min,
    salaryMax: numbers.max,
    salaryCurrency: numbers.currency,
    salaryPeriod: numbers.period,
  };
}
