/**
 * A cheap look at a raw LinkedIn response for the sign-in wall, without parsing it: the circuit breaker
 * judges every response on the main thread, where a full parse (parse.ts's `isAuthWall`) would double
 * the cost of each page. Markers: the page key LinkedIn gives its auth/login pages, or a canonical link
 * to /authwall, /checkpoint/ or the login page — on a page with no job markup.
 */
const WALL_PAGE_KEY =
  /<meta\b(?=[^>]*\bname=["']pageKey["'])(?=[^>]*\bcontent=["']\s*(?:auth_?wall|d_checkpoint|checkpoint|d_registration|d_login|login|signup|uas-login))[^>]*>/i;
const WALL_CANONICAL =
  /<link\b(?=[^>]*\brel=["']canonical["'])(?=[^>]*\bhref=["'][^"']*\/(?:authwall|checkpoint\/|uas\/login|signup\/cold-join))[^>]*>/i;
const JOB_MARKUP = /urn:li:jobPosting:|base-search-card|top-card-layout|show-more-less-html__markup/;

export function looksLikeAuthWall(html: string): boolean {
  return (WALL_PAGE_KEY.test(html) || WALL_CANONICAL.test(html)) && !JOB_MARKUP.test(html);
}
