import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ListedPosting, SourceKind } from '../../src/jobs/model.js';
import { parseArbeitnowPage } from '../../src/sources/arbeitnow/parse.js';
import { parseRecruiteeOffers } from '../../src/sources/recruitee/parse.js';
import { parseRemoteOk } from '../../src/sources/remoteok/parse.js';
import { parseRemotive } from '../../src/sources/remotive/parse.js';
import {
  parseSmartRecruitersPage,
  parseSmartRecruitersPosting,
} from '../../src/sources/smartrecruiters/parse.js';
import { parseWorkableAccount } from '../../src/sources/workable/parse.js';
import { REAL_FIXTURES, realCaptures } from '../helpers/boards.js';

const realExists = existsSync(join(REAL_FIXTURES, 'remotive'));
if (!realExists)
  console.warn(`[sources-feeds] ${REAL_FIXTURES} not found: the tests over real captures are skipped.`);
const describeReal = realExists ? describe : describe.skip;

/** The only capture of a kind: the test below names what it holds, so a second file must be looked at. */
function onlyCapture(kind: SourceKind): unknown {
  const all = realCaptures(kind);
  expect(all.map((c) => c.file)).toHaveLength(1);
  return all[0]!.json;
}

const byId = (postings: ListedPosting[], jobId: string): ListedPosting => {
  const posting = postings.find((p) => p.jobId === jobId);
  expect(posting, jobId).toBeDefined();
  return posting!;
};

const noPay = {
  salary: null,
  salaryMin: null,
  salaryMax: null,
  salaryCurrency: null,
  salaryPeriod: null,
};

describeReal('SmartRecruiters (Western Digital, first page of 10 of 359)', () => {
  it('reads the page: its postings, the total and where it starts', () => {
    const page = parseSmartRecruitersPage(onlyCapture('smartrecruiters'), 'WesternDigital');
    expect(page.postings).toHaveLength(10);
    expect(page).toMatchObject({ totalFound: 359, offset: 0, limit: 10, itemCount: 10 });
    expect(page.postings.map((p) => p.title)).toEqual([
      'Technician 2, Failure Analysis Engineering',
      'Senior Engineer, Analytical & Characterization Engineering',
      'Engineer, Software Development Engineering (Apps)',
      'Senior Developer, Application Software Developer  - M.tech only',
      'Staff Engineer, Manufacturing Engineering',
      'Technician 4, Test Equipment Maintenance',
      'Director of Human Resources',
      'Technologist, Hardware Development Engineering',
      'Process Engineer',
      'Senior Manager, Accounting',
    ]);
    expect(new Set(page.postings.map((p) => p.company))).toEqual(new Set(['Western Digital']));
    expect(page.postings[0]).toMatchObject({
      source: 'smartrecruiters',
      jobId: 'smartrecruiters:744000143761249',
      link: 'https://jobs.smartrecruiters.com/WesternDigital/744000143761249',
      location: 'Bayan Lepas, Penang, Malaysia',
      workplaceType: 'onsite',
      postedDate: '2026-08-17',
      employmentType: 'Full-time',
      description: null,
      ...noPay,
    });
    expect(byId(page.postings, 'smartrecruiters:744000143755890').location).toBe(
      'BangPa-in, PHRA NAKHON SI AYUTTHAYA, Thailand',
    );
    expect(byId(page.postings, 'smartrecruiters:744000143573689')).toMatchObject({
      title: 'Process Engineer',
      location: 'San Jose, CA, United States',
      postedDate: '2026-08-14',
    });
  });
});

describe('SmartRecruiters posting detail', () => {
  // No real capture of `GET /v1/companies/<c>/postings/<id>` exists: this body follows SmartRecruiters'
  // public Posting API documentation (jobAd.sections.{companyDescription, jobDescription, qualifications,
  // additionalInformation} = {title, text: HTML}, postingUrl, applyUrl), with a listed posting's fields.
  const detail = {
    id: '744000143573689',
    name: 'Process Engineer',
    company: { identifier: 'WesternDigital', name: 'Western Digital' },
    releasedDate: '2026-08-14T17:48:53.826Z',
    location: { city: 'San Jose', region: 'CA', country: 'us', remote: false, hybrid: true },
    typeOfEmployment: { id: 'permanent', label: 'Full-time' },
    postingUrl: 'https://jobs.smartrecruiters.com/WesternDigital/744000143573689-process-engineer',
    applyUrl: 'https://jobs.smartrecruiters.com/WesternDigital/744000143573689-process-engineer?oga=true',
    jobAd: {
      sections: {
        companyDescription: { title: 'Company Description', text: '<p>We make <b>storage</b>.</p>' },
        jobDescription: { title: 'Job Description', text: '<ul><li>Run the line</li><li>Fix it</li></ul>' },
        qualifications: { title: 'Qualifications', text: '<p>BS &amp; 3 years</p>' },
        additionalInformation: {
          title: 'Additional Information',
          text: '<p>The pay range for this role is $120,000 – $150,000 USD per year.</p>',
        },
      },
    },
  };

  it('joins the ad sections into one Markdown description, reads pay from it, keeps the public and apply URLs', () => {
    expect(parseSmartRecruitersPosting(detail, 'WesternDigital')).toMatchObject({
      jobId: 'smartrecruiters:744000143573689',
      link: 'https://jobs.smartrecruiters.com/WesternDigital/744000143573689-process-engineer',
      applyUrl: 'https://jobs.smartrecruiters.com/WesternDigital/744000143573689-process-engineer?oga=true',
      title: 'Process Engineer',
      company: 'Western Digital',
      location: 'San Jose, CA, us',
      workplaceType: 'hybrid',
      postedDate: '2026-08-14',
      description:
        '## Company Description\n\nWe make **storage**.\n\n## Job Description\n\n- Run the line\n- Fix it\n\n' +
        '## Qualifications\n\nBS & 3 years\n\n' +
        '## Additional Information\n\nThe pay range for this role is $120,000 – $150,000 USD per year.',
      salary: '$120,000 – $150,000 USD per year',
      salaryMin: 120000,
      salaryMax: 150000,
      salaryCurrency: 'USD',
      salaryPeriod: 'year',
    });
  });

  it('refuses a body that is not a posting', () => {
    expect(() => parseSmartRecruitersPosting({ message: 'Not found' }, 'WesternDigital')).toThrow(
      /SmartRecruiters company "WesternDigital" sent something that is not a posting/,
    );
  });
});

describeReal('Recruitee (Aikido Security, 3 offers)', () => {
  it('reads every offer with its place, remote flag, date and pay', () => {
    const offers = parseRecruiteeOffers(onlyCapture('recruitee'), 'aikidosecurity');
    expect(offers.map((p) => p.title)).toEqual([
      'Customer Success Engineer Tel Aviv',
      'Customer Success Engineer Dubai',
      'Office Manager Chicago',
    ]);
    expect(offers[0]).toMatchObject({
      source: 'recruitee',
      jobId: 'recruitee:2707521',
      link: 'https://aikidosecurity.recruitee.com/o/customer-success-engineer-tel-aviv',
      applyUrl: 'https://aikidosecurity.recruitee.com/o/customer-success-engineer-tel-aviv/c/new',
      company: 'Aikido Security',
      // The offer's `location` says only "Remote job"; the city and country say where.
      location: 'Tel Aviv, Israel',
      workplaceType: 'remote',
      postedDate: '2026-08-11',
      employmentType: 'Full-time',
      ...noPay, // salary {min,max,period,currency} all null
    });
    expect(offers[0]!.description).toMatch(/^\*\*🌍 We’re making security suck less for developers\.\*\*/);
    expect(offers[1]).toMatchObject({ jobId: 'recruitee:2707517', location: 'Dubai, United Arab Emirates' });
    // The source's odd value, kept as given: 75–95 USD a year ("75.00" and "95.00" as strings).
    expect(offers[2]).toMatchObject({
      jobId: 'recruitee:2705729',
      location: 'Chicago, Illinois, United States',
      workplaceType: 'onsite',
      postedDate: '2026-08-10',
      salaryMin: 75,
      salaryMax: 95,
      salaryCurrency: 'USD',
      salaryPeriod: 'year',
      salary: '75–95 USD per year',
    });
    expect(offers[2]!.description).toMatch(/^🌍 We’re taking on the crusty global cyber market/);
  });
});

describeReal('Workable (Vasion, 2 jobs)', () => {
  it('reads every job: shortcode id, the account name as company, locations, telecommuting', () => {
    const jobs = parseWorkableAccount(onlyCapture('workable'), 'vasion');
    expect(jobs).toHaveLength(2);
    expect(jobs[0]).toMatchObject({
      source: 'workable',
      jobId: 'workable:74172297a5',
      link: 'https://apply.workable.com/j/74172297A5',
      applyUrl: 'https://apply.workable.com/j/74172297A5/apply',
      title: 'Account Executive (Partner First) - APAC',
      company: 'Vasion',
      location: 'New South Wales, Australia',
      workplaceType: 'remote',
      postedDate: '2026-08-05',
      employmentType: 'Full-time',
      ...noPay,
    });
    expect(jobs[1]).toMatchObject({
      jobId: 'workable:15f16b8d99',
      title: 'Account Executive - UK&I / Northern Europe',
      location: 'London, England, United Kingdom',
      workplaceType: null, // telecommuting: false says nothing about on-site or hybrid
      postedDate: '2026-08-10',
    });
    // HTML to Markdown, entities decoded (the capture's descriptions were cut at 600 characters).
    expect(jobs[1]!.description).toMatch(/\n\n### The Opportunity\n\n.*across UK&I a$/s);
  });
});

describeReal('Remotive (35 jobs, saved with a byte-order mark)', () => {
  it('reads every job as remote, with the region a candidate may live in as its location', () => {
    const jobs = parseRemotive(onlyCapture('remotive'));
    expect(jobs).toHaveLength(35);
    expect(new Set(jobs.map((p) => p.workplaceType))).toEqual(new Set(['remote']));
    expect(jobs[0]).toMatchObject({
      source: 'remotive',
      jobId: 'remotive:2090903',
      link: 'https://remotive.com/remote-jobs/data/data-labeling-specialists-2090903',
      title: 'Data Labeling Specialists',
      company: 'Workada',
      location: 'USA',
      postedDate: '2026-07-26',
      employmentType: 'Freelance',
      salary: '$18 - $22/hr',
      salaryMin: 18,
      salaryMax: 22,
      salaryCurrency: 'USD',
      salaryPeriod: 'hour',
    });
    expect(jobs[0]!.description).toMatch(/^Who We Are\n\nWorkada creates high-quality labeled data/);
    expect(jobs[34]).toMatchObject({
      jobId: 'remotive:2090985',
      title: 'Communications Manager',
      company: 'Lemon.io',
      location: 'LATAM, Europe',
      postedDate: '2026-06-30',
      employmentType: 'Full-time',
      ...noPay, // salary ""
    });
  });

  it('takes pay from the salary text when it states a range, and keeps the text either way', () => {
    const jobs = parseRemotive(onlyCapture('remotive'));
    expect(jobs.filter((p) => p.salary !== null)).toHaveLength(27);
    expect(jobs.filter((p) => p.salaryMin !== null)).toHaveLength(24);
    expect(byId(jobs, 'remotive:2091075')).toMatchObject({
      salary: '$45,000 - $50,000',
      salaryMin: 45000,
      salaryMax: 50000,
      salaryCurrency: 'USD',
      salaryPeriod: null,
    });
    expect(byId(jobs, 'remotive:2091068')).toMatchObject({ salaryMin: 150000, salaryMax: 230000 });
    expect(byId(jobs, 'remotive:1919265')).toMatchObject({
      salaryMin: 90,
      salaryMax: 150,
      salaryPeriod: 'hour',
    });
    // One amount is not a range: the text stays, no numbers.
    expect(byId(jobs, 'remotive:2091074')).toMatchObject({ salary: '$14/hr', salaryMin: null });
    expect(byId(jobs, 'remotive:2090942')).toMatchObject({ salary: '$12K', salaryMin: null });
    // The company name is trimmed ("Coalition Technologies " in the feed).
    expect(byId(jobs, 'remotive:1680495').company).toBe('Coalition Technologies');
  });
});

describeReal('Arbeitnow (first page: 100 jobs)', () => {
  it('reads every job and the next page', () => {
    const page = parseArbeitnowPage(onlyCapture('arbeitnow'));
    expect(page.postings).toHaveLength(100);
    expect(page.next).toBe(2);
    expect(page.postings[0]).toMatchObject({
      source: 'arbeitnow',
      jobId: 'arbeitnow:hr-manager-hr-generalist-stuttgart-78115',
      link: 'https://www.arbeitnow.com/jobs/companies/autofox-gmbh/hr-manager-hr-generalist-stuttgart-78115',
      title: 'HR Manager / HR Generalist (m/w/d)',
      company: 'autofox GmbH',
      location: 'Stuttgart',
      workplaceType: null,
      postedDate: '2026-05-17', // created_at 1779021029
      employmentType: 'geschäftsleitung',
      ...noPay,
    });
    expect(page.postings[0]!.description).toMatch(/^Wir bei \*\*autofox GmbH\*\* suchen/);
    expect(page.postings[99]).toMatchObject({
      jobId: 'arbeitnow:konfigurationsmanager-produktkoordinator-munich-23708',
      title: 'Konfigurationsmanager / Produktkoordinator (m/w/d)',
      company: 'MY Humancapital GmbH',
      location: 'Munich',
      postedDate: '2026-05-15', // created_at 1778864430
      employmentType: null,
    });
    expect(
      byId(page.postings, 'arbeitnow:senior-netsuite-solution-architect-frankfurt-am-main-27856'),
    ).toMatchObject({
      company: 'Verve',
      employmentType: 'Full-time permanent, experienced',
    });
    expect(page.postings.filter((p) => p.workplaceType === 'remote').map((p) => p.jobId)).toEqual([
      'arbeitnow:technical-customer-support-manager-berlin-312321',
      'arbeitnow:werde-customer-success-marketing-managerin-in-einem-ki-start-up-fur-fuhrungskrafteentwicklung-koln-188540',
      'arbeitnow:praktikum-online-marketing-marketing-startup-ki-ai-bielefeld-393742',
    ]);
  });

  it('reads pay from the description, the feed having no pay field', () => {
    const postings = parseArbeitnowPage(onlyCapture('arbeitnow')).postings;
    const paid = postings.filter((p) => p.salaryMin !== null);
    expect(paid).toHaveLength(21);
    // 16 tax-adviser postings: "… mindestens 90.000€" in the title, "90.000 € bis 130.000 €" in the text.
    expect(paid.filter((p) => p.salary === '90.000 € bis 130.000 €')).toHaveLength(16);
    expect(
      byId(
        postings,
        'arbeitnow:steuerberater-in-jena-auf-wunsch-mit-partnerperspektive-gesucht-mindestens-90000eur-150374',
      ),
    ).toMatchObject({ salaryMin: 90000, salaryMax: 130000, salaryCurrency: 'EUR', salaryPeriod: null });
    // "Gehalt: 32.000 – 48.000 € brutto/Jahr": the German period is not read.
    expect(byId(postings, 'arbeitnow:it-support-fur-non-profits-berlin-275306')).toMatchObject({
      salary: '32.000 – 48.000 € brutto',
      salaryMin: 32000,
      salaryMax: 48000,
      salaryCurrency: 'EUR',
    });
    expect(byId(postings, 'arbeitnow:burokaufmann-frau-oppenheim-416472')).toMatchObject({
      salary: '3000-3500€',
      salaryMin: 3000,
      salaryMax: 3500,
    });
    // "Range zwischen 45-53k €" reads as 45 to 53,000: a misreading, so no numbers at all.
    expect(byId(postings, 'arbeitnow:technical-customer-support-manager-berlin-312321')).toMatchObject(noPay);
  });

  it('has no next page when links.next is null', () => {
    expect(parseArbeitnowPage({ data: [], links: { next: null } }).next).toBeNull();
  });
});

describeReal('Remote OK (legal notice + 97 jobs)', () => {
  it('skips the legal notice and reads every job as remote', () => {
    const jobs = parseRemoteOk(onlyCapture('remoteok'));
    expect(jobs).toHaveLength(97);
    expect(new Set(jobs.map((p) => p.workplaceType))).toEqual(new Set(['remote']));
    expect(jobs[0]).toMatchObject({
      source: 'remoteok',
      jobId: 'remoteok:1130788',
      link: 'https://remoteOK.com/remote-jobs/remote-benefits-advisor-leadership-training-program-fisher-agencies-1130788',
      title: 'Benefits Advisor Leadership Training Program',
      company: 'Fisher Agencies',
      location: null,
      postedDate: '2026-03-16',
      ...noPay, // salary_min 0, salary_max 0
    });
    expect(jobs[0]!.description).toMatch(
      /^Launch Your Career in Leadership\n\nFisher Organization is seeking/,
    );
    expect(jobs[96]).toMatchObject({
      jobId: 'remoteok:1130672',
      title: 'Associate Vice President Direct Mail Content',
      company: 'MissionWired',
      location: 'United States - Remote Flexibility',
      postedDate: '2026-03-07',
    });
    // A real listing with an empty position and company: kept, with its id and link.
    expect(byId(jobs, 'remoteok:1130784')).toMatchObject({
      title: null,
      company: null,
      postedDate: '2026-03-14',
    });
  });

  it('reads salary_min/salary_max as US dollars a year, 0 being none', () => {
    const jobs = parseRemoteOk(onlyCapture('remoteok'));
    const paid = jobs.filter((p) => p.salaryMin !== null);
    expect(paid.map((p) => [p.jobId.slice('remoteok:'.length), p.salaryMin, p.salaryMax])).toEqual([
      ['1130780', 180000, 210000],
      ['1130779', 350700, 474400],
      ['1130778', 40000, 100000],
      ['1130776', 30, 30],
      ['1130773', 110000, 160000],
      ['1130768', 175000, 225000],
      ['1130766', 150000, 175000],
      ['1130765', 95000, 105000],
      ['1130762', 180000, 220000],
      ['1130761', 150000, 200000],
      ['1130760', 30000, 50000],
      ['1130759', 50000, 70000],
      ['1130756', 80, 140],
      ['1130755', 114, 225],
      ['1130746', 40000, 50000],
      ['1130733', 25, 27],
      ['1130731', 70000, 90000],
      ['1130690', 30000, 50000],
    ]);
    expect(new Set(paid.map((p) => `${p.salaryCurrency} ${p.salaryPeriod}`))).toEqual(new Set(['USD year']));
    expect(byId(jobs, 'remoteok:1130780').salary).toBe('180,000–210,000 USD per year');
    expect(byId(jobs, 'remoteok:1130776').salary).toBe('30 USD per year');
  });
});

describe('pay stated in a Workable description', () => {
  it('is read as numbers, the sentence kept as the salary text', () => {
    const [job] = parseWorkableAccount(
      {
        name: 'Acme',
        jobs: [
          {
            shortcode: 'AB12',
            title: 'Engineer',
            url: 'https://apply.workable.com/j/AB12',
            description: '<p>We build things.</p><p><strong>Salary:</strong> £45,000 - £55,000 per year</p>',
          },
        ],
      },
      'acme',
    );
    expect(job).toMatchObject({
      salary: '£45,000 - £55,000 per year',
      salaryMin: 45000,
      salaryMax: 55000,
      salaryCurrency: 'GBP',
      salaryPeriod: 'year',
    });
  });
});

describe('malformed answers', () => {
  it('skips an item without an id, title or link instead of failing the whole answer', () => {
    const good = { id: 7, title: 'Engineer', url: 'https://remotive.com/remote-jobs/x-7' };
    const jobs = parseRemotive({
      jobs: [
        good,
        null,
        'x',
        { ...good, id: null },
        { ...good, title: '  ' },
        { ...good, url: 'javascript:alert(1)' },
      ],
    });
    expect(jobs.map((p) => p.jobId)).toEqual(['remotive:7']);
    expect(
      parseRemoteOk([{ legal: 'notice' }, { id: 5 }, { id: '6', url: 'https://remoteok.com/6' }]),
    ).toHaveLength(1);
    expect(
      parseWorkableAccount({ name: 'A', jobs: [{ title: 'T', url: 'https://apply.workable.com/j/1' }] }, 'a'),
    ).toEqual([]);
  });

  it('ignores a field of the wrong type rather than trusting it', () => {
    const [offer] = parseRecruiteeOffers(
      {
        offers: [
          {
            id: 1,
            title: 'T',
            careers_url: 'https://acme.recruitee.com/o/t',
            salary: { min: 'lots', max: null, currency: 'USD' },
            published_at: 'yesterday',
            city: 42,
            remote: 'yes',
          },
        ],
      },
      'acme',
    );
    expect(offer).toMatchObject({
      company: 'acme',
      postedDate: null,
      location: null, // a number is no place
      workplaceType: null,
      ...noPay,
    });
  });

  it('throws a clear Error for an answer that is not the source’s shape', () => {
    expect(() => parseSmartRecruitersPage({ ok: false }, 'acme')).toThrow(
      'SmartRecruiters company "acme" did not answer with a "content" list.',
    );
    expect(() => parseRecruiteeOffers('<html>', 'acme')).toThrow(/Recruitee company "acme"/);
    expect(() => parseWorkableAccount({ jobs: {} }, 'acme')).toThrow(/Workable account "acme"/);
    expect(() => parseRemotive([])).toThrow(/Remotive/);
    expect(() => parseArbeitnowPage({ data: null })).toThrow(/Arbeitnow/);
    expect(() => parseRemoteOk({ jobs: [] })).toThrow('Remote OK did not answer with a list of jobs.');
  });
});
