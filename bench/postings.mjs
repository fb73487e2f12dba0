// Synthetic postings for the search bench: job-board vocabulary (skills with a long-tailed frequency,
// titles, companies, cities with non-ASCII names), Markdown structure like update-db stores, about 2 KB of
// description each; the bench's 20 five-keyword queries; and how the benches store them (a user with their
// word index, a posting).

import { createWordIndex } from '../dist/db/word-index.js';

// The fake LinkedIn's seeded PRNG (mulberry32): one generator for every synthetic catalogue.
export { makeRng as rng } from '../dist/fakes/linkedin-server.js';

/** A function storing a generated posting for the user (one INSERT; its transaction is the caller's). */
export function inserter(db, userId) {
  const statement = db.prepare(
    `INSERT INTO job_postings (user_id, job_id, link, job_title, job_company, job_location, job_description,
       posted_date, added_at, fetched_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const addedAt = '2025-05-01T00:00:00.000Z';
  return (p) =>
    statement.run(
      userId,
      p.jobId,
      p.link,
      p.title,
      p.company,
      p.location,
      p.description,
      p.posted,
      addedAt,
      addedAt,
      addedAt,
    );
}

/** Adds a user row as accounts.ts does, with the user's word index; returns its id. */
export function addUser(db, email) {
  const now = new Date().toISOString();
  const { lastInsertRowid } = db
    .prepare('INSERT INTO users (email, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?)')
    .run(email, 'x', now, now);
  createWordIndex(db, Number(lastInsertRowid));
  return Number(lastInsertRowid);
}

/** A '|'-separated list: keeps the vocabulary compact on the page. */
const list = (text) => text.split('|');

const SKILLS = list(
  'Python|JavaScript|TypeScript|React|Node.js|Go|Rust|Java|Kotlin|Swift|C++|C#|.NET|SQL|PostgreSQL|' +
    'MySQL|MongoDB|Redis|Kafka|Spark|Airflow|dbt|Snowflake|AWS|GCP|Azure|Kubernetes|Docker|Terraform|' +
    'Ansible|Linux|Git|GraphQL|REST APIs|gRPC|Django|Flask|FastAPI|Spring Boot|Vue.js|Angular|' +
    'Next.js|Svelte|Tailwind|HTML|CSS|Figma|Jira|Scala|Haskell|Elixir|Ruby on Rails|PHP|Laravel|' +
    'Pandas|NumPy|PyTorch|TensorFlow|scikit-learn|LLMs|prompt engineering|RAG|LangChain|' +
    'computer vision|NLP|machine learning|deep learning|data pipelines|ETL|CI/CD|observability|' +
    'Prometheus|Grafana|Datadog|Elasticsearch|microservices|event sourcing|domain-driven design|TDD|' +
    'Selenium|Cypress|Playwright|iOS|Android|Flutter|React Native|embedded C|RTOS|FPGA|Verilog|' +
    'MATLAB|R|Tableau|Power BI|Excel|SAP|Salesforce|HubSpot|SEO|Unity|Unreal Engine|WebAssembly|' +
    'Solidity|blockchain|cybersecurity|penetration testing|SIEM|IAM|zero trust|AI|ML|QA|UX|UI',
);
const TITLES = list(
  'Software Engineer|Backend Developer|Frontend Engineer|Full Stack Developer|Data Engineer|' +
    'Data Scientist|Machine Learning Engineer|DevOps Engineer|Site Reliability Engineer|' +
    'Platform Engineer|Mobile Developer|QA Engineer|Security Engineer|Product Manager|' +
    'Engineering Manager|Prompt Engineer|AI Engineer|Cloud Architect|Solutions Architect|' +
    'Data Analyst|Business Analyst|UX Designer|Technical Writer|Embedded Engineer',
);
const LEVELS = ['', 'Junior ', 'Senior ', 'Lead ', 'Staff ', 'Principal '];
const LOCATIONS = list(
  'Berlin, Germany|München, Bavaria, Germany|Zürich, Switzerland|Kraków, Lesser Poland, Poland|' +
    'Warsaw, Poland|Paris, Île-de-France, France|London, England, United Kingdom|' +
    'Amsterdam, North Holland, Netherlands|São Paulo, Brazil|Madrid, Spain|' +
    'Barcelona, Catalonia, Spain|Milan, Lombardy, Italy|Lisbon, Portugal|Stockholm, Sweden|' +
    'Malmö, Sweden|Reykjavík, Iceland|New York, NY|San Francisco Bay Area|Austin, TX|' +
    'Toronto, Ontario, Canada|Montréal, Quebec, Canada|Remote|Dublin, Ireland|Wien, Austria|' +
    'Praha, Czechia|Łódź, Poland|Göteborg, Sweden|Düsseldorf, Germany|Genève, Switzerland|' +
    'Tokyo, Japan',
);
const SYLLABLES = list(
  'ac|me|no|va|tech|io|lab|ly|quant|gen|ax|or|bit|flow|data|sys|core|ne|xa|ri|vo|lux|cor|pix',
);
const ADJECTIVES = list(
  'fast-growing|well-funded|profitable|remote-first|mission-driven|award-winning|established|' +
    'international|B2B|B2C|open-source',
);
const DOMAINS = list(
  'fintech|healthtech|logistics|e-commerce|climate tech|insurance|gaming|edtech|developer tools|' +
    'cybersecurity|mobility|energy|media|retail|biotech',
);
const VERBS = list('build|design|maintain|scale|operate|improve|own|ship|test|migrate|monitor|optimise');
const THINGS = list(
  'distributed systems|customer-facing APIs|internal tools|our data platform|the payments backend|' +
    'mobile apps|the recommendation engine|realtime dashboards|ML models in production|' +
    'our search infrastructure|developer tooling|high-traffic web services|the billing system|' +
    'data warehouses|streaming pipelines',
);
const FILLER = list(
  'You will collaborate closely with product, design and engineering teams across several time zones.|' +
    'We value clear written communication, ownership and a pragmatic approach to trade-offs.|' +
    'Our stack is modern, our codebase is well tested and we deploy many times a day.|' +
    'We care about diversity and inclusion and encourage people from all backgrounds to apply.|' +
    'The team follows agile practices with two-week sprints, code review and pair programming.|' +
    'You will mentor other engineers and contribute to our hiring process and engineering culture.|' +
    'We offer a competitive salary, equity, 30 days of paid vacation and a learning budget.|' +
    'Flexible working hours, a hybrid model and a modern office in the city centre.|' +
    'You enjoy solving hard problems and explaining your solutions to non-technical stakeholders.|' +
    'Experience in a fast-paced startup environment is a strong plus.|' +
    'Fluency in English is required; German, Polish or French is a plus.|' +
    'We provide private health insurance, a pension plan and a yearly team offsite.|' +
    'You will take part in an on-call rotation shared fairly across the team.|' +
    'Our customers include some of the largest companies in Europe and North America.|' +
    'Strong analytical skills and attention to detail are essential for this position.',
);
const WORDS = (
  'ability accurate achieve across action active adapt address advanced advantage agile align analyse analytics ' +
  'annual applicant approach architecture assess assist autonomy available balance benefit best bonus budget build ' +
  'business candidate capacity career challenge change clarity client coach collaborate colleague commercial commit ' +
  'communicate community company competitive complex compliance concept confident connect consistent continuous ' +
  'contribute coordinate core create critical culture curious customer daily deadline decision deliver demand ' +
  'demonstrate deploy design detail develop digital discipline discover diverse document drive dynamic effective ' +
  'efficient effort empathy employee enable engage enhance ensure enterprise environment equity essential establish ' +
  'evaluate evolve excellent execute expand expect expertise explore external facilitate feature feedback flexible ' +
  'focus foster framework function future global goal growth guide habit handle health help high hybrid identify ' +
  'impact implement improve include independent industry influence initiative innovate insight integrate internal ' +
  'invest issue journey knowledge launch lead learn level leverage manage market measure mentor method metric mindset ' +
  'mission model modern monitor motivate network objective office onboarding open operate opportunity optimise organise ' +
  'outcome own partner passion people perform plan platform policy positive practice prioritise problem process product ' +
  'professional program progress project promote proposal provide quality quarter reliable report research resource ' +
  'responsible result review roadmap robust role scale schedule secure service share skill solution solve specialist ' +
  'stakeholder standard strategy strong structure success support sustainable system talent target task team technical ' +
  'technology tool track training transform transparent trust understand unique value vision welcome workflow workshop'
).split(' ');

export function makePosting(r, i) {
  const pick = (list) => list[Math.floor(r() * list.length)];
  const skill = () => SKILLS[Math.floor(Math.pow(r(), 1.35) * SKILLS.length)];
  const sentence = () => {
    const words = Array.from({ length: 8 + Math.floor(r() * 10) }, () => pick(WORDS)).join(' ');
    return `${words[0].toUpperCase()}${words.slice(1)}.`;
  };
  const company =
    (pick(SYLLABLES) + pick(SYLLABLES) + pick(SYLLABLES)).replace(/^./, (c) => c.toUpperCase()) +
    pick(['', ' GmbH', ' Inc.', ' Ltd', ' S.A.', ' AG', ' sp. z o.o.']);
  const main = skill();
  const title = `${pick(LEVELS)}${pick(TITLES)}${r() < 0.5 ? ` (${main})` : ''}`;
  const location = pick(LOCATIONS);
  const parts = [
    `**About ${company}**`,
    '',
    `${company} is a ${pick(ADJECTIVES)} ${pick(DOMAINS)} company based in ${location.split(',')[0]}. We ${pick(VERBS)} ${pick(THINGS)} for millions of users.`,
    '',
    '**The role**',
    '',
    `As a ${title} you will ${pick(VERBS)} ${pick(THINGS)} using ${main} and ${skill()}. ${pick(FILLER)} ${pick(FILLER)}`,
    '',
    '**What you bring**',
    '',
  ];
  const requirements = 3 + Math.floor(r() * 3);
  for (let k = 0; k < requirements; k++) {
    parts.push(
      `- ${1 + Math.floor(r() * 8)}+ years of experience with ${skill()}${r() < 0.5 ? ` and ${skill()}` : ''}`,
    );
  }
  parts.push(
    `- ${pick(FILLER)}`,
    '',
    '**Nice to have**',
    '',
    `- ${skill()} or ${skill()}`,
    '',
    '**What we offer**',
    '',
  );
  let description = parts.join('\n');
  const length = 1700 + r() * 700;
  while (description.length < length) description += r() < 0.3 ? `\n${pick(FILLER)}` : ` ${sentence()}`;
  const posted = new Date(Date.UTC(2025, 0, 1) + Math.floor(r() * 120) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const jobId = String(4_000_000_000 + i);
  return {
    jobId,
    link: `https://www.linkedin.com/jobs/view/${jobId}/`,
    title,
    company,
    location,
    description,
    posted,
  };
}

// 20 five-keyword queries of mixed selectivity: a frequent keyword (≥20% of postings), mid-frequency ones,
// rare ones, phrases, punctuation-heavy names and short whole-word keywords.
export const QUERIES = [
  ['python', 'kubernetes', 'remote', 'go', 'prompt engineering'],
  ['react', 'typescript', 'zürich', 'c++', 'senior'],
  ['java', 'spring boot', 'kafka', 'münchen', 'microservices'],
  ['data engineer', 'airflow', 'snowflake', 'dbt', 'berlin'],
  ['machine learning', 'pytorch', 'nlp', 'ai', 'kraków'],
  ['node.js', 'graphql', 'postgresql', 'docker', 'lead'],
  ['rust', 'webassembly', 'linux', 'embedded c', 'rtos'],
  ['devops', 'terraform', 'aws', 'ci/cd', 'prometheus'],
  ['swift', 'ios', 'kotlin', 'android', 'flutter'],
  ['c#', '.net', 'azure', 'sql', 'principal'],
  ['security', 'penetration testing', 'siem', 'zero trust', 'iam'],
  ['product manager', 'roadmap', 'stakeholder', 'jira', 'b2b'],
  ['haskell', 'scala', 'elixir', 'event sourcing', 'domain-driven design'],
  ['vue.js', 'angular', 'svelte', 'tailwind', 'css'],
  ['tableau', 'power bi', 'excel', 'data analyst', 'sql'],
  ['llms', 'rag', 'langchain', 'prompt engineer', 'python'],
  ['playwright', 'cypress', 'selenium', 'qa', 'tdd'],
  ['fintech', 'payments', 'kafka', 'go', 'staff'],
  ['grafana', 'datadog', 'observability', 'site reliability', 'on-call'],
  ['unity', 'unreal engine', 'gaming', 'c++', 'lisbon'],
];
