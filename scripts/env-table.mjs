#!/usr/bin/env node
// Prints the README's environment table, rendered from src/core/settings.ts (run `npm run build` first).
// Usage: node scripts/env-table.mjs   — paste the output over the table under "Files and environment";
// test/unit/settings.test.ts fails while the README's table differs from it.
import { environmentTable } from '../dist/core/settings.js';

process.stdout.write(`${environmentTable()}\n`);
