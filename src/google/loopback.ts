import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { AuthError, DjsError } from '../core/errors.js';

export interface AuthorizationCode {
  code: string;
}

export interface LoopbackReceiver {
  /** The redirect URI registered with this authorization request: http://127.0.0.1:<port>/callback */
  redirectUri: string;
  /** Settles with the code, or rejects (denied, no code, timeout, abort); a wrong state is ignored. */
  result: Promise<AuthorizationCode>;
  close(): Promise<void>;
}

const CALLBACK_PATH = '/callback';

const page = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title>` +
  `<body style="font-family:sans-serif;max-width:32em;margin:4em auto"><h1>${title}</h1><p>${text}</p></body>`;

/**
 * Checks what came back on the redirect (RFC 8252 §7.3 / RFC 6749 §4.1.2): the state must be the one we
 * sent, and an `error` parameter means the person (or Google) refused.
 */
export function readRedirect(url: URL, expectedState: string): AuthorizationCode {
  const state = url.searchParams.get('state');
  if (state !== expectedState) {
    throw new AuthError(
      'The sign-in response did not match this request (state mismatch); no token was stored. Run `djs login --google` again.',
    );
  }
  const error = url.searchParams.get('error');
  if (error) {
    const reason =
      error === 'access_denied' ? 'access was denied' : `Google answered "${error.slice(0, 100)}"`;
    throw new AuthError(`Google sign-in did not complete: ${reason}. No token was stored.`);
  }
  const code = url.searchParams.get('code');
  if (!code) throw new AuthError('The sign-in response carried no authorization code; no token was stored.');
  return { code };
}

/**
 * The loopback redirect receiver: an HTTP server on 127.0.0.1 only (never 0.0.0.0), on a random port
 * unless one is asked for, that accepts one valid redirect and shuts down after it or after the timeout.
 * Requests without this sign-in's state are answered 400 and ignored; one with it ends the wait either way.
 */
export async function startLoopbackReceiver(options: {
  expectedState: string;
  timeoutMs: number;
  port?: number;
  signal?: AbortSignal;
}): Promise<LoopbackReceiver> {
  const sockets = new Set<Socket>();
  let ignored = 0;
  let settle: { resolve: (value: AuthorizationCode) => void; reject: (error: unknown) => void } | undefined;
  const result = new Promise<AuthorizationCode>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => undefined); // the caller observes it; avoid an unhandled rejection if it never does

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== CALLBACK_PATH) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    if (url.searchParams.get('state') !== options.expectedState) {
      // Not the answer to this sign-in (any local program can reach the port): refuse it and keep waiting.
      ignored += 1;
      response
        .writeHead(400, { 'content-type': 'text/html; charset=utf-8', connection: 'close' })
        .end(page('Not this sign-in', 'djs is waiting for the answer to the sign-in it started.'));
      return;
    }
    try {
      const code = readRedirect(url, options.expectedState);
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' })
        .end(page('djs is connected to Google', 'You can close this tab and return to the terminal.'));
      settle?.resolve(code);
    } catch (error) {
      response
        .writeHead(400, { 'content-type': 'text/html; charset=utf-8', connection: 'close' })
        .end(page('Sign-in did not complete', 'Return to the terminal to see what happened.'));
      settle?.reject(error);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new DjsError(
              `Port ${options.port} on 127.0.0.1 is already in use; choose another with --port, or omit --port for a random one.`,
            )
          : new DjsError(`Cannot start the local sign-in receiver on 127.0.0.1: ${error.message}`),
      );
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });

  const timer = setTimeout(() => {
    const strays =
      ignored === 0
        ? ''
        : ` (${ignored} ${ignored === 1 ? 'request' : 'requests'} with a state that did not match this sign-in ignored)`;
    settle?.reject(
      new AuthError(
        `Google sign-in timed out after ${Math.round(options.timeoutMs / 1000)} s; no token was stored${strays}. Run \`djs login --google\` again.`,
      ),
    );
  }, options.timeoutMs);
  const onAbort = (): void => settle?.reject(new DjsError('Sign-in interrupted; no token was stored.', 130));
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const { port } = server.address() as { port: number };
  const close = async (): Promise<void> => {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`, result, close };
}
