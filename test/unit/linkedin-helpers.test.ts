import { describe, expect, it } from 'vitest';
import { criterionForLabel, mapCriteria } from '../../src/sources/linkedin/criteria.js';
import {
  isoDateFromAttribute,
  parseRelativeAge,
  relativeDateToIso,
} from '../../src/sources/linkedin/dates.js';
import { hoistBreaks, htmlToMarkdown } from '../../src/sources/common/html-markdown.js';
import { findSalaryRange, parseAmount } from '../../src/sources/common/salary.js';

describe('relative dates', () => {
  const now = new Date('2026-03-31T10:30:00Z');

  it.each([
    // en
    ['8 hours ago', '2026-03-31'],
    ['11 hours ago', '2026-03-30'],
    ['45 minutes ago', '2026-03-31'],
    ['an hour ago', '2026-03-31'],
    ['1 day ago', '2026-03-30'],
    ['6 days ago', '2026-03-25'],
    ['1 week ago', '2026-03-24'],
    ['Reposted 3 weeks ago', '2026-03-10'],
    ['30+ days ago', '2026-03-01'],
    ['1 month ago', '2026-02-28'], // 31 March - 1 month, clamped
    ['2 months ago', '2026-01-31'],
    ['1 year ago', '2025-03-31'],
    ['Just now', '2026-03-31'],
    // fr (nbsp, narrow nbsp)
    ['il y a 11\u00a0heures', '2026-03-30'],
    ['il y a 3\u202fjours', '2026-03-28'],
    ['il y a 2 semaines', '2026-03-17'],
    ['il y a 1 mois', '2026-02-28'],
    ['il y a un an', '2025-03-31'],
    ['il y a 30 minutes', '2026-03-31'],
    // it
    ['5 giorni fa', '2026-03-26'],
    ['10 mesi fa', '2025-05-31'],
    ['1 ora fa', '2026-03-31'],
    ['2 settimane fa', '2026-03-17'],
    ['1 anno fa', '2025-03-31'],
    // de
    ['vor 3 Tagen', '2026-03-28'],
    ['vor 1 Woche', '2026-03-24'],
    ['vor 2 Monaten', '2026-01-31'],
    ['vor 12 Stunden', '2026-03-30'],
    ['vor einem Jahr', '2025-03-31'],
    // es
    ['hace 2 semanas', '2026-03-17'],
    ['hace 3 días', '2026-03-28'],
    ['hace 1 mes', '2026-02-28'],
    ['hace 4 horas', '2026-03-31'],
    ['hace 2 años', '2024-03-31'],
    // pt
    ['há 3 dias', '2026-03-28'],
    ['há 1 semana', '2026-03-24'],
    ['há 2 meses', '2026-01-31'],
    ['há 5 horas', '2026-03-31'],
    ['há 1 ano', '2025-03-31'],
  ])('%s → %s', (text, iso) => {
    expect(relativeDateToIso(text, now)).toBe(iso);
  });

  it('returns null for text that is not a date', () => {
    for (const text of ['', '   ', 'Actively Hiring', 'Apply', 'Be an early applicant', '200 applicants']) {
      expect(relativeDateToIso(text, now), text).toBeNull();
    }
    expect(parseRelativeAge('Over 200 applicants')).toBeNull();
  });

  it('reads units', () => {
    expect(parseRelativeAge('il y a 11 heures')).toEqual({ amount: 11, unit: 'hour' });
    expect(parseRelativeAge('10 mesi fa')).toEqual({ amount: 10, unit: 'month' });
    expect(parseRelativeAge('há 3 dias')).toEqual({ amount: 3, unit: 'day' });
  });

  it('validates datetime attributes', () => {
    expect(isoDateFromAttribute('2026-06-04')).toBe('2026-06-04');
    expect(isoDateFromAttribute('2026-06-04T10:00:00Z')).toBe('2026-06-04');
    expect(isoDateFromAttribute('2026-02-30')).toBeNull();
    expect(isoDateFromAttribute('yesterday')).toBeNull();
    expect(isoDateFromAttribute(undefined)).toBeNull();
  });
});

describe('criteria labels', () => {
  it.each([
    ['Seniority level', 'seniority'],
    ['Niveau hiérarchique', 'seniority'],
    ['Livello di anzianità', 'seniority'],
    ['Karrierestufe', 'seniority'],
    ['Nivel de antigüedad', 'seniority'],
    ['Nível de experiência', 'seniority'],
    ['Employment type', 'employmentType'],
    ['Type d’emploi', 'employmentType'],
    ["Type d'emploi", 'employmentType'],
    ['Tipo di impiego', 'employmentType'],
    ['Beschäftigungsverhältnis', 'employmentType'],
    ['Tipo de empleo', 'employmentType'],
    ['Tipo de emprego', 'employmentType'],
    ['Job function', 'jobFunction'],
    ['Fonction', 'jobFunction'],
    ['Funzione lavorativa', 'jobFunction'],
    ['Tätigkeitsbereich', 'jobFunction'],
    ['Función laboral', 'jobFunction'],
    ['Função', 'jobFunction'],
    ['Industries', 'industries'],
    ['Secteurs', 'industries'],
    ['Settori', 'industries'],
    ['Branchen', 'industries'],
    ['Sectores', 'industries'],
    ['Setores', 'industries'],
    ['  SENIORITY\n   LEVEL ', 'seniority'],
  ])('%s → %s', (label, key) => {
    expect(criterionForLabel(label)).toBe(key);
  });

  it('unknown labels → null, and mapCriteria falls back to the fixed order', () => {
    expect(criterionForLabel('Ervaring')).toBeNull();
    expect(
      mapCriteria([
        { label: 'A', value: '1' },
        { label: 'B', value: '2' },
        { label: 'C', value: '3' },
        { label: 'D', value: '4' },
      ]),
    ).toEqual({ seniority: '1', employmentType: '2', jobFunction: '3', industries: '4' });
    // a known label elsewhere keeps its slot; the unknown one at that position does not steal it
    expect(
      mapCriteria([
        { label: 'Industries', value: 'Software' },
        { label: '??', value: 'Full-time' },
      ]),
    ).toEqual({ seniority: null, employmentType: 'Full-time', jobFunction: null, industries: 'Software' });
    expect(mapCriteria([])).toEqual({
      seniority: null,
      employmentType: null,
      jobFunction: null,
      industries: null,
    });
  });
});

describe('salary ranges in descriptions', () => {
  it.each([
    ['In California, the pay range for this position is $123,700 - $179,200\n', '$123,700 - $179,200'],
    ['The base salary range is 124,000 USD - 195,500 USD for Level 2', '124,000 USD - 195,500 USD'],
    ['Gehalt: €50.000 – €60.000 im Jahr', '€50.000 – €60.000'],
    ['Rate: $50/hr - $60/hr, paid weekly', '$50/hr - $60/hr'],
    ['The range is $136,300 - $273,900 a year.', '$136,300 - $273,900 a year'],
    ['pay range is $93,200 -- $179,200 annually. Pay within', '$93,200 -- $179,200 annually'],
    ['The range is -\n\n$88,680 to $168,480 based on a full-time schedule.', '$88,680 to $168,480'],
    ['Between $90,000 and $110,000 per year.', '$90,000 and $110,000 per year'],
    ['Base: $120k - $150k + equity', '$120k - $150k'],
    ['£45,000 to £55,000 per annum', '£45,000 to £55,000 per annum'],
    ['Salary $120,000 - 150,000 depending on experience', '$120,000 - 150,000'],
    ['Stipendio 35.000 - 42.000 EUR lordi', '35.000 - 42.000 EUR lordi'],
    ['USD $123,900 - $245,000 (all other areas)', 'USD $123,900 - $245,000'],
    ['Salário: R$ 8.000 - R$ 12.000', 'R$ 8.000 - R$ 12.000'],
  ])('%j → %s', (text, expected) => {
    expect(findSalaryRange(text)).toBe(expected);
  });

  it.each([
    ['$750 annual wellness benefit or healthcare spending account\n\n401(K) matching'],
    ['Salary: $120,000 per year'],
    ['We are a team of 10 - 20 engineers in 3 - 4 countries'],
    ['$200,000 - $150,000'],
    ['Founded in 2010 - 2012 with $5'],
    ['Level 2 - 3 engineers'],
    [''],
  ])('no range in %j', (text) => {
    expect(findSalaryRange(text)).toBeNull();
  });

  it('parses amounts', () => {
    expect(parseAmount('123,700')).toBe(123700);
    expect(parseAmount('60.000')).toBe(60000);
    expect(parseAmount('1 234 567')).toBe(1234567);
    expect(parseAmount('50.00')).toBe(50);
    expect(parseAmount('120k')).toBe(120000);
    expect(parseAmount('1,234.56')).toBeCloseTo(1234.56);
  });
});

describe('description markdown', () => {
  it('keeps LinkedIn bold headings on one line and lists compact', () => {
    expect(hoistBreaks('<strong>Title<br><br></strong>Text')).toBe('<strong>Title</strong><br><br>Text');
    expect(hoistBreaks('<b><br>Title</b>')).toBe('<br><b>Title</b>');
    expect(
      htmlToMarkdown('<strong>What you do<br></strong><ul><li>Code</li><li>Review</li></ul><p>End</p>'),
    ).toBe('**What you do**\n\n- Code\n- Review\n\nEnd');
    expect(htmlToMarkdown('<ol start="3"><li>three</li><li>four</li></ol>')).toBe('3. three\n4. four');
  });

  it('drops buttons, icons and scripts; empty → null', () => {
    expect(
      htmlToMarkdown('<p>Hi</p><button>Show more</button><icon class="x"></icon><script>alert(1)</script>'),
    ).toBe('Hi');
    expect(htmlToMarkdown('   <p> </p>  ')).toBeNull();
  });
});
