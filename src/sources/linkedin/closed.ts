import { normaliseLabel } from './criteria.js';

/**
 * LinkedIn's sign that a posting takes no more applications (issue 12 item 5). The guest page puts a banner
 * in the top card, `<figure class="closed-job …"><figcaption class="closed-job__flavor--closed">No longer
 * accepting applications</figcaption></figure>`, worded in the page's language, and may append the same
 * words to the title in brackets. The parser trusts the banner's markup first; the words count only as the
 * whole text of a top-card element or as the title's bracketed tail, because the sentence also turns up in
 * descriptions the employer writes ("we are no longer accepting applications for the 2025 cohort").
 */

/** The banner's words in each page language djs reads (the languages of criteria.ts and dates.ts). */
export const CLOSED_WORDING: Readonly<Record<'en' | 'fr' | 'it' | 'de' | 'es' | 'pt', readonly string[]>> = {
  en: ['No longer accepting applications'],
  fr: ['N’accepte plus de candidatures'],
  it: ['Non accetta più candidature'],
  // Both seen on German pages: the banner's sentence and the title's bracketed form.
  de: ['Es werden keine Bewerbungen mehr angenommen', 'Bewerbungen werden nicht mehr angenommen'],
  es: ['Ya no se aceptan solicitudes'],
  pt: ['Não aceita mais candidaturas'],
};

/** As normaliseLabel compares labels, and a closing full stop ignored. */
function fold(text: string): string {
  return normaliseLabel(text).replace(/\s*\.$/, '');
}

const WORDING = new Set(Object.values(CLOSED_WORDING).flat().map(fold));

/** True when the whole text is LinkedIn's "no longer accepting applications", in any language djs reads. */
export function isClosedWording(text: string): boolean {
  return WORDING.has(fold(text));
}

/**
 * "Data Analyst (No longer accepting applications)" → the title without its tail and `closed: true`;
 * any other title as it is.
 */
export function splitClosedTitle(title: string): { title: string; closed: boolean } {
  const tail = /^(.*\S)\s*\(([^()]+)\)$/.exec(title);
  if (tail && isClosedWording(tail[2]!)) return { title: tail[1]!, closed: true };
  return { title, closed: false };
}
