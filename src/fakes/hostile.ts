/**
 * Hostile answers for the fakes (issue 10): bodies a careless client would swallow whole. Both are streamed,
 * so a fake serving a 1 GB bomb holds about a megabyte, and both stop as soon as the client hangs up.
 */
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

const MEMBER_BYTES = 1024 * 1024;
/** One gzip member of 1 MB of zeros: about 1 KB. Concatenated members are one valid gzip body (RFC 1952). */
let member: Buffer | undefined;

/** A gzip body of about `inflatedBytes / 1000` bytes that inflates to `inflatedBytes` (whole MB) of zeros. */
export function sendGzipBomb(
  res: ServerResponse,
  inflatedBytes: number,
  headers: Record<string, string> = {},
): void {
  member ??= gzipSync(Buffer.alloc(MEMBER_BYTES), { level: 9 });
  res.writeHead(200, { ...headers, 'content-encoding': 'gzip' });
  stream(res, Math.ceil(inflatedBytes / MEMBER_BYTES), () => member as Buffer);
}

/** `bytes` of plain filler, chunked (no Content-Length to refuse it by), for the client to give up on. */
export function sendOversized(
  res: ServerResponse,
  bytes: number,
  headers: Record<string, string> = {},
): void {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  res.writeHead(200, headers);
  stream(res, Math.ceil(bytes / chunk.length), () => chunk);
}

/** Writes `count` chunks with backpressure; stops when the client goes away. */
function stream(res: ServerResponse, count: number, chunk: () => Buffer): void {
  let sent = 0;
  const pump = (): void => {
    while (sent < count) {
      if (res.destroyed) return;
      sent++;
      if (!res.write(chunk())) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}
