import { BlockList, isIP } from 'node:net';

/** What kind of host a URL names, as far as it can be told without a DNS lookup. */
export type HostKind = 'unspecified' | 'loopback' | 'link-local' | 'private' | 'public' | 'name';

const RANGES: ReadonlyArray<[Exclude<HostKind, 'public' | 'name'>, string, number]> = [
  ['unspecified', '0.0.0.0', 8],
  ['loopback', '127.0.0.0', 8],
  ['link-local', '169.254.0.0', 16],
  ['private', '10.0.0.0', 8],
  ['private', '172.16.0.0', 12],
  ['private', '192.168.0.0', 16],
  ['private', '100.64.0.0', 10], // carrier-grade NAT: not reachable from the internet either
  ['unspecified', '::', 128],
  ['loopback', '::1', 128],
  ['link-local', 'fe80::', 10],
  ['private', 'fc00::', 7],
];

const LISTS = new Map<HostKind, BlockList>();
for (const [kind, network, prefix] of RANGES) {
  const list = LISTS.get(kind) ?? new BlockList();
  list.addSubnet(network, prefix, isIP(network) === 6 ? 'ipv6' : 'ipv4');
  LISTS.set(kind, list);
}

/** `hostname` as URL gives it: IPv6 in brackets, IPv4 already normalised (decimal, octal and hex forms too). */
export function hostKind(hostname: string): HostKind {
  let host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  // ::ffff:a9fe:a9fe is 169.254.169.254 in IPv6 clothing: judge the IPv4 address it carries.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (mapped) {
    const high = Number.parseInt(mapped[1]!, 16);
    const low = Number.parseInt(mapped[2]!, 16);
    host = [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  const family = isIP(host);
  if (family === 0) return host === 'localhost' || host.endsWith('.localhost') ? 'loopback' : 'name';
  const type = family === 6 ? 'ipv6' : 'ipv4';
  for (const [kind, list] of LISTS) if (list.check(host, type)) return kind;
  return 'public';
}

/**
 * Why djs must not send a request to `target`, or null when it may. Checked for the first request and for
 * every redirect hop, before any connection is made: http(s) only; never a link-local or unspecified address
 * (169.254.169.254 is a cloud's metadata service); a loopback or private address only when an expected origin
 * is one too (the local fakes); and nothing outside the expected origins.
 */
export function targetRefusal(target: URL, allowedOrigins: readonly string[]): string | null {
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return `${target.protocol} is not http or https`;
  }
  const kind = hostKind(target.hostname);
  if (kind === 'link-local' || kind === 'unspecified') return `${target.hostname} is a ${kind} address`;
  if (
    (kind === 'loopback' || kind === 'private') &&
    !allowedOrigins.some((origin) => hostKind(new URL(origin).hostname) === kind)
  ) {
    return `${target.hostname} is a ${kind} address`;
  }
  if (!allowedOrigins.includes(target.origin)) return `it is not on ${allowedOrigins.join(' or ')}`;
  return null;
}
