/**
 * Counts failed token attempts per client (server/http/client-address.ts: behind TRUSTED_PROXIES
 * the forwarded address, IPv6 by /64) in a sliding minute. Past the limit, a *wrong* token from
 * that client gets 429 with Retry-After until the window moves on: guessing gets slow, not cheap.
 * A valid token is never refused for others' failures (a command centre's walls share one NAT
 * address with whoever mistypes a token there), so callers check the token first and ask the
 * limiter only about failures. It remembers at most `maxClients` clients, the oldest forgotten first.
 */
import { limiterKey } from './client-address.js';

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 20,
    private readonly windowMs = 60_000,
    private readonly maxClients = 10_000,
  ) {}

  /** Seconds the client must wait before its next wrong token is even answered 401, or 0. */
  retryAfter(address: string, now = Date.now()): number {
    const recent = this.recent(limiterKey(address), now);
    if (recent.length < this.limit) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
  }

  recordFailure(address: string, now = Date.now()): void {
    const key = limiterKey(address);
    const recent = this.recent(key, now);
    recent.push(now);
    this.failures.delete(key); // re-inserted last: the Map's order is "least recently failed first"
    this.failures.set(key, recent.slice(-this.limit));
    if (this.failures.size > this.maxClients) this.prune(now);
  }

  /** How many clients it remembers (bounded by maxClients). */
  get size(): number {
    return this.failures.size;
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => now - at < this.windowMs);
  }

  private prune(now: number): void {
    for (const [key, times] of this.failures) {
      if (times.every((at) => now - at >= this.windowMs)) this.failures.delete(key);
    }
    for (const key of this.failures.keys()) {
      if (this.failures.size <= this.maxClients) break;
      this.failures.delete(key);
    }
  }
}
