// Module hooks of module-trace.mjs (they run on Node's loader thread).
import { appendFileSync } from 'node:fs';

let trace;

export function initialize(data) {
  trace = data.trace;
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) appendFileSync(trace, `file ${url}\n`);
  return nextLoad(url, context);
}
