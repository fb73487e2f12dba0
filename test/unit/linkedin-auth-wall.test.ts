import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_FIXTURES as REAL } from '../helpers/cli.js';
import {
  generatePostings,
  renderJobPosting,
  renderSearchFragment,
  AUTH_WALL_HTML,
} from '../../src/fakes/linkedin-server.js';
import { looksLikeAuthWall } from '../../src/sources/linkedin/auth-wall.js';
import { isAuthWall } from '../../src/sources/linkedin/parse.js';

const realExists = fs.existsSync(REAL);
if (!realExists)
  console.warn(`[linkedin-auth-wall] ${REAL} not found: the checks over real captures are skipped.`);

/** The main thread's cheap check must agree with the parser's thorough one: the breaker relies on it. */
describe('looksLikeAuthWall', () => {
  describe.skipIf(!realExists)('on every real capture', () => {
    const files = realExists
      ? ['linkedin-search', 'linkedin-detail', 'linkedin-other'].flatMap((folder) =>
          fs.readdirSync(path.join(REAL, folder)).map((file) => path.join(folder, file)),
        )
      : [];
    it.each(files)('%s', (file) => {
      const html = fs.readFileSync(path.join(REAL, file), 'utf8');
      expect(looksLikeAuthWall(html)).toBe(isAuthWall(html));
      expect(looksLikeAuthWall(html)).toBe(file.startsWith('linkedin-other/authwall'));
    });
  });

  it('agrees on the fake server pages and on nothing at all', () => {
    const postings = generatePostings(5, 3);
    const now = new Date();
    for (const html of [
      AUTH_WALL_HTML,
      renderSearchFragment(postings, 0, now),
      renderJobPosting(postings[0]!, now),
      '',
      '<html>',
    ]) {
      expect(looksLikeAuthWall(html)).toBe(isAuthWall(html));
    }
    expect(looksLikeAuthWall(AUTH_WALL_HTML)).toBe(true);
  });

  it('accepts the markers in any attribute order and quoting', () => {
    expect(looksLikeAuthWall(`<meta content='auth_wall_desktop_jserp' name='pageKey'>`)).toBe(true);
    expect(looksLikeAuthWall('<link href="https://www.linkedin.com/authwall?trk=x" rel="canonical">')).toBe(
      true,
    );
    expect(looksLikeAuthWall('<meta name="pageKey" content="d_jobs_guest_details">')).toBe(false);
    // A job page that merely links to the sign-in page is not the wall.
    expect(
      looksLikeAuthWall(
        '<link rel="canonical" href="/authwall"><div data-entity-urn="urn:li:jobPosting:1"></div>',
      ),
    ).toBe(false);
  });
});
