/**
 * Reader keys this server has seen react from a network lately. Reader keys are made up by the
 * client, so a new one is free to invent: a network's first reaction with a key costs what a
 * reply costs (see the reactions route), later ones of that key only what any write costs.
 * Bounded: the least recently seen pairs go first, and a pair is forgotten after `ttlMs`.
 * Kept per process; behind a balancer a key new to one instance pays there once more.
 */
export class KnownReaders {
  readonly #seen = new Map<string, number>();

  constructor(
    readonly maxEntries = 100_000,
    readonly ttlMs = 24 * 3600 * 1000,
  ) {}

  has(network: string, readerKey: string, now = Date.now()): boolean {
    const key = `${network} ${readerKey}`;
    const at = this.#seen.get(key);
    if (at === undefined) return false;
    if (now - at >= this.ttlMs) {
      this.#seen.delete(key);
      return false;
    }
    return true;
  }

  add(network: string, readerKey: string, now = Date.now()): void {
    const key = `${network} ${readerKey}`;
    this.#seen.delete(key);
    this.#seen.set(key, now);
    for (const oldest of this.#seen.keys()) {
      if (this.#seen.size <= this.maxEntries) break;
      this.#seen.delete(oldest);
    }
  }
}
