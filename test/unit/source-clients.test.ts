import { describe, expect, it } from 'vitest';
import { SourceClients } from '../../src/sources/common/clients.js';

describe('SourceClients', () => {
  it('shares one client per host and politeness, so a slow feed never sets a board’s rate on a shared host', async () => {
    const clients = new SourceClients({ concurrency: 2, timeoutMs: 5_000, proxyUrl: null });
    const boards = { perMinute: 60, maxResponseBytes: 32 * 1024 * 1024 };
    const feed = { perMinute: 4, maxResponseBytes: 8 * 1024 * 1024 };
    try {
      const greenhouse = clients.for('http://127.0.0.1:9/v1/boards/', boards);
      expect(clients.for('http://127.0.0.1:9/other/path', boards)).toBe(greenhouse);
      expect(clients.for('http://127.0.0.1:9/api/remote-jobs', feed)).not.toBe(greenhouse);
      expect(clients.for('http://127.0.0.2:9/v1/boards/', boards)).not.toBe(greenhouse);
    } finally {
      await clients.close();
    }
  });
});
