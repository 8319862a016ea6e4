/**
 * Login rate limiting: a sliding window of failed attempts per client IP and per account.
 * In memory (one server process); counts reset after a successful login for the account.
 */
export interface RateLimitConfig {
  /** Failed attempts allowed per IP within `windowMs`. */
  perIp: number;
  /** Failed attempts allowed per account within `windowMs`. */
  perAccount: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { perIp: 20, perAccount: 5, windowMs: 15 * 60_000 };

export class LoginLimiter {
  private readonly ip = new Map<string, number[]>();
  private readonly account = new Map<string, number[]>();
  constructor(
    readonly config: RateLimitConfig = DEFAULT_RATE_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(m: Map<string, number[]>, key: string): number[] {
    const t = this.now();
    const list = (m.get(key) ?? []).filter((x) => t - x < this.config.windowMs);
    if (list.length) m.set(key, list);
    else m.delete(key);
    return list;
  }

  /** Seconds to wait when the IP or account is over its limit; undefined when a try is allowed. */
  blocked(ip: string, account: string): number | undefined {
    const a = this.recent(this.ip, ip);
    const b = this.recent(this.account, account.toLowerCase());
    const over = (list: number[], n: number) => (list.length >= n ? Math.ceil((list[0]! + this.config.windowMs - this.now()) / 1000) : undefined);
    const w = [over(a, this.config.perIp), over(b, this.config.perAccount)].filter((x): x is number => x !== undefined);
    return w.length ? Math.max(1, ...w) : undefined;
  }

  failed(ip: string, account: string): void {
    const t = this.now();
    this.ip.set(ip, [...this.recent(this.ip, ip), t]);
    const k = account.toLowerCase();
    this.account.set(k, [...this.recent(this.account, k), t]);
  }

  succeeded(account: string): void {
    this.account.delete(account.toLowerCase());
  }
}
