#!/usr/bin/env node
// A stand-in for a browser that auto-approves, used as $BROWSER in tests: it follows the consent URL and
// its redirect back to djs's loopback receiver. It only ever talks to 127.0.0.1.
const url = new URL(process.argv[2]);
if (url.hostname !== '127.0.0.1') {
  console.error(`follow-url refuses to leave 127.0.0.1: ${url.host}`);
  process.exit(1);
}
const response = await fetch(url, { redirect: 'follow' }).catch(() => null);
process.exit(response ? 0 : 1);
