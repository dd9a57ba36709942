/**
 * The client's address behind trusted proxies, the limiter's key and its bound (RULES AUTH6).
 */
import { describe, expect, it } from 'vitest';
import { limiterKey, parseTrustedProxies, resolveClientAddress } from './client-address.js';
import { FailureLimiter } from './rate-limit.js';

describe('client address', () => {
  const trusted = parseTrustedProxies('10.0.0.0/8, 127.0.0.1, ::1');

  it('[AUTH6] a trusted peer vouches for the hop before it, right to left; an untrusted peer is the client', () => {
    expect(resolveClientAddress('10.0.0.5', '203.0.113.7', trusted)).toBe('203.0.113.7');
    expect(resolveClientAddress('10.0.0.5', '198.51.100.1, 203.0.113.7, 10.2.3.4', trusted)).toBe('203.0.113.7');
    expect(resolveClientAddress('198.51.100.9', '203.0.113.7', trusted)).toBe('198.51.100.9');
    expect(resolveClientAddress('::ffff:10.0.0.5', '203.0.113.7', trusted)).toBe('203.0.113.7');
    expect(resolveClientAddress('10.0.0.5', 'not-an-ip', trusted)).toBe('10.0.0.5');
    expect(resolveClientAddress('10.0.0.5', '203.0.113.7', null)).toBe('10.0.0.5');
    expect(resolveClientAddress(undefined, undefined, trusted)).toBe('unknown');
  });

  it('[AUTH6] TRUSTED_PROXIES is IPs and CIDRs; anything else is named', () => {
    expect(parseTrustedProxies('')).toBeNull();
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow('"10.0.0.0/33" is not an IP address or CIDR range');
    expect(() => parseTrustedProxies('proxy.local')).toThrow('"proxy.local"');
  });

  it('[AUTH6] IPv6 clients count by their /64; IPv4 as they are', () => {
    expect(limiterKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limiterKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(limiterKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(limiterKey('203.0.113.7')).toBe('203.0.113.7');
    const limiter = new FailureLimiter(2);
    limiter.recordFailure('2001:db8:1:2::a');
    limiter.recordFailure('2001:db8:1:2::b');
    expect(limiter.retryAfter('2001:db8:1:2::c')).toBeGreaterThan(0);
    expect(limiter.retryAfter('2001:db8:1:3::c')).toBe(0);
  });

  it('[AUTH6] the limiter remembers at most maxClients clients', () => {
    const limiter = new FailureLimiter(20, 60_000, 100);
    for (let i = 0; i < 5_000; i++) limiter.recordFailure(`198.51.${Math.floor(i / 250)}.${i % 250}`, 1_000);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });
});
