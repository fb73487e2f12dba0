import { PoliteClient, type PoliteEvent } from '../../net/polite-client.js';

/** How politely djs reads one host of job boards or feeds: its own rate, retries and body cap. */
export interface HostPoliteness {
  /** Requests per minute to this host (every attempt counts). */
  perMinute: number;
  /** The largest answer accepted, as it arrives and after decompression. */
  maxResponseBytes: number;
}

/**
 * One polite client per origin, shared by every source on that host (two Greenhouse boards take turns
 * under Greenhouse's rate, while Lever's requests go on at their own): rate, backoff and circuit breaker
 * are per host. Closed together when the run ends.
 */
export class SourceClients {
  readonly #clients = new Map<string, PoliteClient>();

  constructor(
    private readonly options: {
      concurrency: number;
      timeoutMs: number;
      proxyUrl: string | null;
      onEvent?: (event: PoliteEvent) => void;
    },
  ) {}

  /**
   * The client for `baseUrl`'s origin, made on first use with that host's politeness. Keyed by the
   * politeness too: each real service has its own host, but when several point at one server (the local
   * fakes, a proxying mirror) a feed's few calls a minute must not become every board's rate.
   */
  for(baseUrl: string, politeness: HostPoliteness): PoliteClient {
    const origin = new URL(baseUrl).origin;
    const key = `${origin} ${politeness.perMinute} ${politeness.maxResponseBytes}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = new PoliteClient({
        baseUrl: origin,
        perMinute: politeness.perMinute,
        maxResponseBytes: politeness.maxResponseBytes,
        concurrency: this.options.concurrency,
        timeoutMs: this.options.timeoutMs,
        proxyUrl: this.options.proxyUrl,
        onEvent: this.options.onEvent,
      });
      this.#clients.set(key, client);
    }
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map((client) => client.close()));
    this.#clients.clear();
  }
}
