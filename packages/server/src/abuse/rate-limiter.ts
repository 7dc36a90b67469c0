import { ProblemError } from '../problem.js';

/** A fixed-window counter per key, in memory (one process; limits are per server). */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  /** Counts a hit; returns null when allowed, else the seconds until the window resets. */
  hit(key: string, now = Date.now()): number | null {
    if (this.limit <= 0) return null;
    if (this.#windows.size > 50_000) this.#sweep(now);
    let window = this.#windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    if (window.count >= this.limit)
      return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    window.count++;
    return null;
  }

  #sweep(now: number): void {
    for (const [key, window] of this.#windows)
      if (now - window.start >= this.windowMs) this.#windows.delete(key);
  }
}

export function tooManyRequests(retryAfter: number, what: string): ProblemError {
  return new ProblemError(
    429,
    'rate-limited',
    'Too many requests',
    `${what} Try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`,
    undefined,
    { 'Retry-After': String(retryAfter) },
  );
}
