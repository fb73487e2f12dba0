import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A loopback address: 127.0.0.2 plays "another origin" in tests without leaving the machine. */
export type LoopbackHost = '127.0.0.1' | '127.0.0.2';

export interface LoopbackListener {
  /** http://127.0.0.1:PORT (or 127.0.0.2) */
  url: string;
  /** TCP connections accepted so far: a refused redirect must not add one. */
  readonly connections: number;
  /** Stops listening and ends every open connection, hanging ones included, so nothing keeps a test alive. */
  close(): Promise<void>;
}

/** Listens on a loopback address only, on a random free port: the built-in servers never face the network. */
export async function listenOnLoopback(
  server: Server,
  host: LoopbackHost = '127.0.0.1',
): Promise<LoopbackListener> {
  const sockets = new Set<Socket>();
  let connections = 0;
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    get connections() {
      return connections;
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      })),
  };
}
