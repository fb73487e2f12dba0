/**
 * The path and query to request for `relative` under a source's base URL, kept under the base's own path
 * (`http://127.0.0.1:9/recruitee/acme/` + `api/offers/` → `/recruitee/acme/api/offers/`): the polite
 * client of the base's origin resolves it and refuses anything off that origin. `relative` carries its
 * names already encoded (encodeURIComponent) and starts without a slash.
 */
export function pathUnder(baseUrl: string, relative: string): string {
  const base = new URL(baseUrl);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const url = new URL(relative, base);
  return `${url.pathname}${url.search}`;
}
