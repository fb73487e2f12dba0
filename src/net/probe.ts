const PROBE_TIMEOUT_MS = 5000;

/**
 * One HEAD request to an origin, through the proxy when one is given (the same transport as update-db:
 * undici): its status, whatever it is. Throws on a network error or after a few seconds without an answer.
 */
export async function probeOrigin(origin: string, proxyUrl: string | null): Promise<number> {
  const { fetch, ProxyAgent } = await import('undici');
  const response = await fetch(origin, {
    method: 'HEAD',
    redirect: 'manual',
    signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    ...(proxyUrl ? { dispatcher: new ProxyAgent(proxyUrl) } : {}),
  });
  return response.status;
}
