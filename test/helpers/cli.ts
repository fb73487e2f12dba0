import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DJS_BIN = join(REPO_ROOT, 'bin', 'djs.js');
/** The real captured LinkedIn pages and job-board answers, beside the repository (absent in a fresh clone). */
export const REAL_FIXTURES = join(REPO_ROOT, '..', 'shared', 'fixtures', 'real');

export interface DjsResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  home: string;
  /** Written to stdin, which is then closed (stdin is never a TTY here). */
  input?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** A fresh private DJS_HOME; removed by the returned cleanup. */
export function tempHome(prefix = 'djs-test-'): { home: string; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/**
 * The environment a test run of the built CLI sees: only what it needs, so nothing from the developer's
 * shell (a real DJS_HOME, a JWT key, proxies) leaks in. The file SecretStore is the default here;
 * keychain tests opt in with DJS_SECRET_STORE=keychain.
 */
export function baseEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    DJS_HOME: home,
    DJS_SECRET_STORE: 'file',
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
  };
  for (const name of ['DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR', 'DJS_KEYCHAIN_AVAILABLE']) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  return env;
}

/** Spawns the built CLI (bin/djs.js → dist/) as a child process, the way a person or cron runs it. */
export function runDjs(args: string[], options: RunOptions): Promise<DjsResult> {
  const env = { ...baseEnv(options.home), ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [DJS_BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Messages for people never carry a stack trace (SPEC §4). */
export function expectNoStackTrace(result: DjsResult): void {
  if (/\n\s+at .+:\d+:\d+/.test(result.stderr)) {
    throw new Error(`stderr has a stack trace:\n${result.stderr}`);
  }
}

export const STRONG_PASSWORD = 'Corr3ct-Horse-Battery';

/**
 * A DJS_HOME with one registered, logged-in user, made once and copied for each test: registering costs
 * a bcrypt hash at cost 12 (~0.5 s), copying a folder costs nothing. The copy is a separate database
 * with the same database id, which is what the copied session and secrets file need.
 */
export async function registeredHome(
  email = 'ada@example.com',
): Promise<{ clone: () => string; cleanup: () => void }> {
  const template = tempHome('djs-template-');
  const result = await runDjs(['register', '--email', email, '--password-stdin'], {
    home: template.home,
    input: `${STRONG_PASSWORD}\n`,
  });
  if (result.code !== 0) throw new Error(`register failed: ${result.stderr}`);
  const clones: string[] = [];
  return {
    clone: () => {
      const { home } = tempHome('djs-clone-');
      cpSync(template.home, home, { recursive: true });
      clones.push(home);
      return home;
    },
    cleanup: () => {
      template.cleanup();
      for (const home of clones) rmSync(home, { recursive: true, force: true });
    },
  };
}
