import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../src/fakes/google-server.js';
import { baseEnv, DJS_BIN, registeredHome } from '../helpers/cli.js';
import { databaseIdOf, fileSecrets, googleEnv } from '../helpers/google.js';
import { TmuxSession, tmuxAvailable } from '../helpers/tmux.js';

if (!tmuxAvailable)
  console.warn('tmux is not installed: skipping the pseudo-terminal test of login --google --no-browser');

describe.skipIf(!tmuxAvailable)('djs login --google --no-browser in a terminal', () => {
  let fake: FakeGoogle | undefined;
  let session: TmuxSession | undefined;
  let cleanup: (() => void) | undefined;

  afterEach(async () => {
    session?.close();
    await fake?.close();
    cleanup?.();
  });

  /**
   * Starts `djs login --google --no-browser` in a terminal and plays the person on another machine: open
   * the printed URL, approve, and land on the redirect URL — which cannot reach this machine's loopback
   * receiver, so they copy it from the address bar. Returns that URL, not yet pasted.
   */
  async function approveElsewhere(): Promise<{ home: string; redirect: URL }> {
    fake = await startFakeGoogle();
    const homes = await registeredHome();
    cleanup = homes.cleanup;
    const home = homes.clone();
    session = TmuxSession.start(`${process.execPath} ${DJS_BIN} login --google --no-browser`, {
      ...baseEnv(home),
      ...googleEnv(fake),
    });
    const screen = await session.waitFor(/Paste that whole URL here/);
    const consentUrl = /(http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?\S+)/.exec(screen)![1]!;
    const approval = await fetch(consentUrl, { redirect: 'manual' });
    const redirect = new URL(approval.headers.get('location')!);
    expect(redirect.toString()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/);
    return { home, redirect };
  }

  it('prints the URL, accepts the pasted redirect URL and links Google', async () => {
    const { home, redirect } = await approveElsewhere();
    session!.type(redirect.toString());
    session!.press('Enter');
    expect(await session!.exitCode()).toBe(0);
    expect(session!.screen()).toContain('Google is connected');
    const stored = JSON.parse(fileSecrets(home)[`google:${databaseIdOf(home)}:1`]!);
    expect(stored.refresh_token).toBe(fake!.issuedRefreshTokens[0]);
  });

  it('rejects a pasted URL with another state and stores nothing (exit 4)', async () => {
    const { home, redirect } = await approveElsewhere();
    redirect.searchParams.set('state', 'forged-state');
    session!.type(redirect.toString());
    session!.press('Enter');
    expect(await session!.exitCode()).toBe(4);
    expect(session!.screen()).toMatch(/state mismatch/);
    expect(Object.keys(fileSecrets(home)).some((key) => key.startsWith('google:'))).toBe(false);
  });
});
