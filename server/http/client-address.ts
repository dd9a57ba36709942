/**
 * Who is asking, as an address: the socket's peer, or, when that peer is one of TRUSTED_PROXIES
 * (the district's reverse proxy or load balancer), the nearest address in X-Forwarded-For that is
 * not itself a trusted proxy. A header from anyone else is ignored, so a client cannot choose its
 * own address. The failure limiter keys on it; an IPv6 client counts by its /64 (one household or
 * one host's whole range).
 */
import { BlockList, isIP } from 'node:net';

/** Parses TRUSTED_PROXIES ("10.0.0.1, 10.1.0.0/16, ::1"); throws naming the first bad entry. */
export function parseTrustedProxies(list: string | undefined): BlockList | null {
  const entries = (list ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) return null;
  const trusted = new BlockList();
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (family === 0 || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
      throw new Error(`"${entry}" is not an IP address or CIDR range`);
    }
    trusted.addSubnet(address!, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return trusted;
}

/** "::ffff:10.0.0.1" → "10.0.0.1"; anything else as it is. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

function isTrusted(address: string, trusted: BlockList): boolean {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Whether the request reached us over TLS: this server's own https, or a trusted proxy's
 * `X-Forwarded-Proto: https` (anyone else's header is ignored, as for addresses).
 */
export function cameOverTls(url: string, remote: string | undefined, forwardedProto: string | undefined, trusted: BlockList | null): boolean {
  if (new URL(url).protocol === 'https:') return true;
  if (!trusted || !forwardedProto || !isTrusted(plain(remote ?? ''), trusted)) return false;
  return forwardedProto.split(',')[0]!.trim().toLowerCase() === 'https';
}

/** The client's address given the socket's peer and the X-Forwarded-For header, if any. */
export function resolveClientAddress(remote: string | undefined, forwardedFor: string | undefined, trusted: BlockList | null): string {
  let address = plain(remote ?? 'unknown');
  if (!trusted || !forwardedFor) return address;
  const hops = forwardedFor.split(',').map((hop) => plain(hop.trim())).filter(Boolean);
  // Right to left: each trusted hop vouches for the one before it.
  while (isTrusted(address, trusted) && hops.length > 0) {
    const next = hops.pop()!;
    if (isIP(next) === 0) break; // a malformed hop: stop at the last address we can vouch for
    address = next;
  }
  return address;
}

/** The key an address counts under: IPv4 as it is, IPv6 by its first 64 bits. */
export function limiterKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
