// What the update-db benches share: a registered account in a fresh DJS_HOME, and one timed run of
// `djs update-db` with its peak memory.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/djs.js', import.meta.url));

/** Peak resident set of a running process: the kernel's high-water mark, polled until it exits. */
export function watchPeakRss(pid) {
  let peakKb = 0;
  const timer = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    } catch {
      // the process has exited
    }
  }, 10);
  return () => {
    clearInterval(timer);
    return peakKb / 1024;
  };
}

/** A fresh DJS_HOME (file secret store, no rate limit, this LinkedIn) with a registered, logged-in account. */
export function registeredBenchHome(linkedinUrl, extraEnv = {}) {
  const home = mkdtempSync(join(tmpdir(), 'djs-bench-'));
  const env = {
    ...process.env,
    DJS_HOME: home,
    DJS_SECRET_STORE: 'file',
    DJS_RATE_LIMIT: '0',
    DJS_LINKEDIN_URL: linkedinUrl,
    NO_COLOR: '1',
    ...extraEnv,
  };
  const registered = spawnSync(
    process.execPath,
    [bin, 'register', '--email', 'bench@example.com', '--password-stdin'],
    { env, input: 'Bench-Passw0rd!\n', encoding: 'utf8' },
  );
  if (registered.status !== 0) throw new Error(`register failed: ${registered.stderr}`);
  return { home, env };
}

/** `djs update-db --json ARGS…` in that home: exit code, parsed summary, stderr, wall seconds, peak RSS in MB. */
export async function timedUpdateDb(env, args) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [bin, 'update-db', '--json', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const peak = watchPeakRss(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { code, summary: stdout ? JSON.parse(stdout) : null, stderr, seconds, peakMb: peak() };
}
