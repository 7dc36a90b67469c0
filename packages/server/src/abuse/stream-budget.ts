import { ProblemError } from '../problem.js';

/** What a refused stream is told to wait before trying again, in seconds. */
export const STREAM_RETRY_SECONDS = 30;

/**
 * The open event streams of one server process, counted per client network (its /24 or /64)
 * and in all. Every open stream holds a socket, a file descriptor, a bus subscription and a
 * send queue for as long as the client likes, so both counts are capped: one network cannot
 * take the server's descriptors, and all of them together cannot take more than the operator
 * allows. Streams are per process, so the counts are too (behind a balancer, each instance
 * caps its own).
 */
export class StreamBudget {
  readonly #byClient = new Map<string, number>();
  #open = 0;

  constructor(
    /** Streams one client network may hold open at once; 0: no cap. */
    readonly perClient: number,
    /** Streams the process holds open at once; 0: no cap. */
    readonly total: number,
  ) {}

  /** Streams open now, of `client` or of everyone. */
  count(client?: string): number {
    return client === undefined ? this.#open : (this.#byClient.get(client) ?? 0);
  }

  /**
   * Takes a place for a stream of `client`, or throws the problem that refuses it: 429 for a
   * network over its share, 503 for a server that is full. The returned function gives the
   * place back; calling it again does nothing.
   */
  take(client: string): () => void {
    if (this.total > 0 && this.#open >= this.total) {
      throw new ProblemError(
        503,
        'too-many-streams',
        'Too many live streams',
        `This server holds as many live update streams as it is set to (${this.total}). Try again in ${STREAM_RETRY_SECONDS} seconds; the topic itself can be read meanwhile.`,
        undefined,
        { 'Retry-After': String(STREAM_RETRY_SECONDS) },
      );
    }
    const held = this.#byClient.get(client) ?? 0;
    if (this.perClient > 0 && held >= this.perClient) {
      throw new ProblemError(
        429,
        'rate-limited',
        'Too many requests',
        `At most ${this.perClient} live update streams may be open from one network; close one first. Try again in ${STREAM_RETRY_SECONDS} seconds.`,
        undefined,
        { 'Retry-After': String(STREAM_RETRY_SECONDS) },
      );
    }
    this.#byClient.set(client, held + 1);
    this.#open++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#open--;
      const left = (this.#byClient.get(client) ?? 1) - 1;
      if (left > 0) this.#byClient.set(client, left);
      else this.#byClient.delete(client);
    };
  }
}
