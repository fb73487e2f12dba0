import { spawn } from 'node:child_process';
import { nodeCrypto } from '../core/node-crypto.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DjsError } from '../core/errors.js';
import { ensurePrivateDir } from '../core/files.js';
import { packagePath } from '../core/package-root.js';
import type { FakeBoardSpec } from '../fakes/boards-server.js';

const DJS_BIN = packagePath('bin', 'djs.js');
const QUERIES = ['python developer', 'data engineer'];
const LOCATIONS = ['Berlin', 'Remote'];
/** The watched sources: two company boards and a feed, served by the built-in boards. */
const SOURCES = ['greenhouse:northwind', 'lever:pinecrest-robotics', 'remotive'];
const BOARDS: FakeBoardSpec[] = [
  { kind: 'greenhouse', name: 'northwind', company: 'Northwind Analytics', count: 12 },
  { kind: 'lever', name: 'pinecrest-robotics', company: 'Pinecrest Robotics', count: 8 },
  // A feed keeps what matches the saved searches: this one does, whatever the generated jobs are.
  {
    kind: 'remotive',
    count: 20,
    jobs: [{ title: 'Python Developer', location: 'Worldwide', workplace: 'remote' }],
  },
];

interface Step {
  title: string;
  args: string[];
  input?: string;
  /** Reads what the step printed (with --json) to prepare the next steps. */
  capture?: (stdout: string) => void;
}

/** What the demo needs from the terminal it runs in (the CLI's Context is one); the demo does not import cli/. */
export interface DemoTerminal {
  env: NodeJS.ProcessEnv;
  io: { stderr: { write(chunk: string): unknown } };
  abort: AbortController;
  out: {
    line(text: string): void;
    success(text: string): void;
    style: Record<'bold' | 'dim' | 'cyan' | 'green', (text: string) => string>;
  };
}

/**
 * `djs demo`: the whole flow, offline, in a fresh DJS_HOME, against the built-in LinkedIn, job boards
 * and Google servers on 127.0.0.1. Each step runs the real djs binary exactly as a person would type it,
 * so the demo exercises the same code paths as real use; only the endpoints differ (SPEC §3). One
 * LinkedIn posting applies on a job of a watched Greenhouse board: djs shows it as one job, listed twice.
 */
export async function runDemo(ctx: DemoTerminal, options: { postings: number }): Promise<void> {
  const [
    { startFakeLinkedIn, generatePostings },
    { startFakeGoogle, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET },
    { startFakeBoards, jobFromPosting },
  ] = await Promise.all([
    import('../fakes/linkedin-server.js'),
    import('../fakes/google-server.js'),
    import('../fakes/boards-server.js'),
  ]);
  const home = mkdtempSync(join(tmpdir(), 'djs-demo-'));
  ensurePrivateDir(home);
  const postings = generatePostings(options.postings, 2026).map((posting, index) => ({
    ...posting,
    queries: [QUERIES[index % QUERIES.length]!],
    location: index % 4 < 2 ? 'Berlin, Germany' : 'Remote',
  }));
  const boards = await startFakeBoards({ boards: BOARDS });
  // The first LinkedIn posting is a Northwind job whose Apply link leads to Northwind's Greenhouse board.
  const shared = postings[0]!;
  const northwind = boards.board('greenhouse:northwind');
  shared.company = northwind.company;
  shared.applyUrl = northwind.jobUrl(
    northwind.addJob({ ...jobFromPosting(shared), company: northwind.company }).id,
  );
  const linkedin = await startFakeLinkedIn({ postings });
  const google = await startFakeGoogle();
  const { bold, dim, cyan, green } = ctx.out.style;
  const password = `Demo-${nodeCrypto().randomBytes(9).toString('base64url')}!7`;
  const email = 'demo@example.com';
  let firstJobId = '';

  const env: NodeJS.ProcessEnv = {
    ...ctx.env,
    DJS_HOME: home,
    DJS_SECRET_STORE: 'file',
    DJS_LINKEDIN_URL: linkedin.url,
    DJS_RATE_LIMIT: '0',
    ...boards.env,
    DJS_GOOGLE_AUTH_URL: google.authUrl,
    DJS_GOOGLE_TOKEN_URL: google.tokenUrl,
    DJS_GOOGLE_REVOKE_URL: google.revokeUrl,
    DJS_GOOGLE_API_URL: google.apiUrl,
    GOOGLE_CLIENT_ID: DEFAULT_CLIENT_ID,
    GOOGLE_CLIENT_SECRET: DEFAULT_CLIENT_SECRET,
    // A "browser" that approves the consent screen at once: it just follows the URL on 127.0.0.1.
    BROWSER: `'${process.execPath}' -e 'fetch(process.argv[1]).catch(() => process.exit(1))'`,
    HTTPS_PROXY: '',
  };

  const steps: Step[] = [
    {
      title: 'Create an account (the password comes from stdin)',
      args: ['register', '--email', email, '--first-name', 'Demo', '--password-stdin'],
      input: `${password}\n`,
    },
    { title: 'Log in', args: ['login', '--email', email, '--password-stdin'], input: `${password}\n` },
    { title: 'Connect Google (the built-in Google approves at once)', args: ['login', '--google'] },
    {
      title: 'Watch two company boards and a job feed',
      args: ['sources', 'add', ...SOURCES],
    },
    {
      title: `Collect postings: LinkedIn (${QUERIES.length} queries × ${LOCATIONS.length} locations, saved for cron), the boards and the feed`,
      args: [
        'update-db',
        ...QUERIES.flatMap((q) => ['-q', q]),
        ...LOCATIONS.flatMap((l) => ['-l', l]),
        '--save',
        '--no-sheets',
      ],
    },
    {
      title: 'Search the local database',
      args: ['search', 'python', 'aws', '"machine learning"', '--limit', '5'],
    },
    {
      title: "One job, two sources: the LinkedIn posting that applies on Northwind's Greenhouse board",
      args: ['jobs', 'show', shared.jobId],
    },
    {
      title: 'Pick the best match',
      args: ['search', 'python', 'aws', '"machine learning"', '--limit', '1', '--json'],
      capture: (stdout) => {
        firstJobId = String((JSON.parse(stdout) as Array<{ id: string }>)[0]?.id ?? '');
        ctx.out.line(`→ job ${firstJobId}`);
      },
    },
    {
      title: 'Track it: mark it applied',
      args: ['jobs', 'set-status', '<job>', 'applied', '--note', 'Applied through the careers page'],
    },
    { title: 'Create your Google spreadsheet', args: ['sheets', 'create'] },
    { title: 'Mirror everything into it', args: ['sheets', 'sync'] },
    { title: 'Where things stand', args: ['status'] },
  ];

  ctx.out.line(bold('Dream Job Search — demo'));
  ctx.out.line(
    dim(
      `Everything runs offline: a LinkedIn (${postings.length} synthetic postings), two company boards, a job feed and a Google, all on 127.0.0.1.`,
    ),
  );
  ctx.out.line(dim(`Data folder for this demo: ${home}`));
  ctx.out.line(dim('Its secrets go to a 0600 file there (DJS_SECRET_STORE=file), not to your keychain.'));
  try {
    for (const [index, step] of steps.entries()) {
      const args = step.args.map((arg) => (arg === '<job>' ? firstJobId : arg.replace(/^"(.*)"$/, '$1')));
      ctx.out.line('');
      ctx.out.line(`${cyan(`Step ${index + 1}/${steps.length}`)} ${bold(step.title)}`);
      ctx.out.line(
        dim(
          `$ djs ${step.args.map((arg) => (arg === '<job>' ? firstJobId : /\s/.test(arg) && !arg.startsWith('"') ? `"${arg}"` : arg)).join(' ')}`,
        ),
      );
      const code = await runStep(ctx, args, env, step);
      if (code !== 0)
        throw new DjsError(`The demo stopped: step ${index + 1} (${step.title}) exited with ${code}.`);
    }
  } finally {
    await Promise.all([linkedin.close(), boards.close(), google.close()]);
  }
  ctx.out.line('');
  ctx.out.success(green('The demo ran end to end.'));
  ctx.out.line(`Look around in the demo's data (the built-in servers are gone, the database stays):`);
  ctx.out.line(`  DJS_HOME=${home} DJS_SECRET_STORE=file djs search python`);
  ctx.out.line(`  DJS_HOME=${home} DJS_SECRET_STORE=file djs jobs show ${firstJobId || '<job-id>'}`);
  ctx.out.line(`Remove it with: rm -rf ${home}`);
}

const FILE_STORE_WARNING = /^warning: secrets are kept in the file .*\n/gm;

function runStep(ctx: DemoTerminal, args: string[], env: NodeJS.ProcessEnv, step: Step): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DJS_BIN, ...args], {
      env,
      stdio: ['pipe', step.capture ? 'pipe' : 'inherit', 'pipe'],
    });
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    // The demo said once where its secrets go; every step repeating it would drown the narration.
    child
      .stderr!.setEncoding('utf8')
      .on('data', (chunk: string) => ctx.io.stderr.write(chunk.replace(FILE_STORE_WARNING, '')));
    const interrupt = (): void => void child.kill('SIGINT');
    // Removed when the step ends: a listener per step left on the demo's one signal piles up (Node warns
    // past 10 of them).
    ctx.abort.signal.addEventListener('abort', interrupt, { once: true });
    child.on('error', reject);
    child.on('close', (code) => {
      ctx.abort.signal.removeEventListener('abort', interrupt);
      if (code === 0 && step.capture) step.capture(stdout);
      resolve(code ?? 1);
    });
    child.stdin!.end(step.input ?? '');
  });
}
