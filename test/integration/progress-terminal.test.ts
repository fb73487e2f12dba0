import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generatePostings, startFakeLinkedIn, type FakeLinkedIn } from '../../src/fakes/linkedin-server.js';
import { baseEnv, DJS_BIN, registeredHome, runDjs } from '../helpers/cli.js';
import { TmuxSession, tmuxAvailable } from '../helpers/tmux.js';

/** ora's default frames (dots): what a spinner looks like on screen. */
const SPINNER_LINE = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] searches \d+\/1 · links \d+/;
const ARGS = ['update-db', '-q', 'python', '-l', 'Berlin'];

describe.skipIf(!tmuxAvailable)(
  'update-db progress: an ora spinner on a terminal, plain lines elsewhere',
  () => {
    let fake: FakeLinkedIn;
    let homes: Awaited<ReturnType<typeof registeredHome>>;
    let session: TmuxSession | undefined;

    beforeAll(async () => {
      homes = await registeredHome();
      // Slow enough answers that the run lasts a few seconds and the spinner can be seen.
      const postings = generatePostings(30, 3).map((posting) => ({
        ...posting,
        queries: ['python'],
        location: 'Berlin, Germany',
      }));
      fake = await startFakeLinkedIn({ postings, latencyMs: 150 });
    });
    afterAll(async () => {
      await fake.close();
      homes.cleanup();
    });
    afterEach(() => session?.close());

    it('draws the spinner with the counts on a real terminal, and clears it at the end', async () => {
      const env = { ...baseEnv(homes.clone()), DJS_LINKEDIN_URL: fake.url, DJS_RATE_LIMIT: '0' };
      session = TmuxSession.start(`${process.execPath} ${DJS_BIN} ${ARGS.join(' ')}`, env);
      const during = await session.waitFor(SPINNER_LINE, 30_000);
      expect(during).toMatch(/ETA|postings \d+/);
      expect(await session.exitCode(60_000)).toBe(0);
      expect(session.screen()).not.toMatch(SPINNER_LINE);
    }, 90_000);

    it('off a terminal: timestamped lines, no spinner and no escape code', async () => {
      const result = await runDjs(ARGS, {
        home: homes.clone(),
        env: { DJS_LINKEDIN_URL: fake.url, DJS_RATE_LIMIT: '0' },
        timeoutMs: 60_000,
      });
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z searches \d+\/1 · links \d+/m);
      expect(result.stderr).not.toMatch(/[\u001b⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    }, 90_000);
  },
);
