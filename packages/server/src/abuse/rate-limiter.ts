import { ProblemError } from '../problem.js';
import type { Store } from '../store/store.js';

/**
 * A fixed-window limit of hits per key (a network, a topic). `check` asks without counting,
 * so that a request can be counted only once it is accepted; `hit` counts. Both resolve to
 * null when allowed, else to the seconds until the window resets.
 */
export interface Limiter {
  /** Hits allowed per window; 0: no limit. */
  readonly limit: number;
  readonly windowMs: number;
  check(key: string, now?: number): Promise<number | null>;
  hit(key: string, now?: number): Promise<number | null>;
}

const retryAfter = (start: number, windowMs: number, now: number) =>
  Math.max(1, Math.ceil((start + windowMs - now) / 1000));

/** Counts in this process's memory: enough for one server. */
export class RateLimiter implements Limiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  async check(key: string, now = Date.now()): Promise<number | null> {
    return this.checkNow(key, now);
  }

  async hit(key: string, now = Date.now()): Promise<number | null> {
    return this.hitNow(key, now);
  }

  /** check(), synchronously. */
  checkNow(key: string, now = Date.now()): number | null {
    if (this.limit <= 0) return null;
    const window = this.#windows.get(key);
    if (!window || now - window.start >= this.windowMs || window.count < this.limit) return null;
    return retryAfter(window.start, this.windowMs, now);
  }

  /** hit(), synchronously. */
  hitNow(key: string, now = Date.now()): number | null {
    if (this.limit <= 0) return null;
    if (this.#windows.size > 50_000) this.#sweep(now);
    let window = this.#windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    if (window.count >= this.limit) return retryAfter(window.start, this.windowMs, now);
    window.count++;
    return null;
  }

  #sweep(now: number): void {
    for (const [key, window] of this.#windows)
      if (now - window.start >= this.windowMs) this.#windows.delete(key);
  }
}

/**
 * Counts in the database, so that every server on it counts against the same windows: behind
 * a balancer, N servers allow what one would, not N times as much. One statement per hit.
 */
export class SharedRateLimiter implements Limiter {
  constructor(
    readonly store: Pick<Store, 'hitRateWindow' | 'peekRateWindow'>,
    /** Names the limit among the others kept in the same table. */
    readonly name: string,
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  async check(key: string, now = Date.now()): Promise<number | null> {
    if (this.limit <= 0) return null;
    const window = await this.store.peekRateWindow(this.name, key);
    if (!window || now - window.start >= this.windowMs || window.count < this.limit) return null;
    return retryAfter(window.start, this.windowMs, now);
  }

  async hit(key: string, now = Date.now()): Promise<number | null> {
    if (this.limit <= 0) return null;
    // Counted even past the limit (one statement, no read first): it changes no answer, since
    // the window refuses until it is over either way.
    const window = await this.store.hitRateWindow(this.name, key, this.windowMs, now);
    return window.count > this.limit ? retryAfter(window.start, this.windowMs, now) : null;
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
