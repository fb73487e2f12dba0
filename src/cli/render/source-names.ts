import type { PostingSource } from '../../jobs/model.js';

/** How each source is named to people. */
export const SOURCE_NAMES: Record<PostingSource, string> = {
  linkedin: 'LinkedIn',
  greenhouse: 'Greenhouse',
  lever: 'Lever',
  ashby: 'Ashby',
  smartrecruiters: 'SmartRecruiters',
  recruitee: 'Recruitee',
  workable: 'Workable',
  remotive: 'Remotive',
  arbeitnow: 'Arbeitnow',
  remoteok: 'Remote OK',
};

/** Sources whose terms ask to be credited, with a link, wherever their postings are shown. */
const CREDITED: ReadonlySet<string> = new Set<PostingSource>(['remoteok', 'remotive']);

/** "Greenhouse"; a source djs does not know (a newer database) as it is stored. */
export function sourceName(source: string): string {
  return (SOURCE_NAMES as Record<string, string>)[source] ?? source;
}

/** "via Remote OK" for the sources that ask for credit, else the source's name. */
export function sourceCredit(source: string): string {
  return CREDITED.has(source) ? `via ${sourceName(source)}` : sourceName(source);
}
