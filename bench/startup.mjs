#!/usr/bin/env node
// SPEC §12: `djs --version` and `djs status` wall time against bare `node -e 0` (targets 1.5× and 2×).
// Usage: npm run build && node bench/startup.mjs [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 21);
const bin = fileURLToPath(new URL('../bin/djs.js', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'djs-bench-startup-'));
const env = { ...process.env, DJS_HOME: home, DJS_SECRET_STORE: 'file', NO_COLOR: '1' };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(args, input) {
  const samples = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env, input, encoding: 'utf8' });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    if (i >= 2) samples.push(elapsed); // the first runs warm the file cache
  }
  return median(samples);
}

try {
  const password = 'Bench-Passw0rd!';
  const registered = spawnSync(
    process.execPath,
    [bin, 'register', '--email', 'bench@example.com', '--password-stdin'],
    { env, input: `${password}\n`, encoding: 'utf8' },
  );
  if (registered.status !== 0) throw new Error(`register failed: ${registered.stderr}`);

  const node = time(['-e', '0']);
  const version = time([bin, '--version']);
  const status = time([bin, 'status']);
  const rows = [
    ['node -e 0', node, 1, null],
    ['djs --version', version, version / node, 1.5],
    ['djs status', status, status / node, 2],
  ];
  console.log(`median of ${runs} runs each (ms)`);
  for (const [name, ms, ratio, target] of rows) {
    const verdict =
      target === null ? '' : ratio <= target ? `ok (target ≤ ${target}×)` : `OVER (target ≤ ${target}×)`;
    console.log(`${name.padEnd(14)} ${ms.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}×  ${verdict}`);
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
