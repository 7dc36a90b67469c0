/** Reads a Server-Sent Events response frame by frame, for tests. */
export interface Frame {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  /** Comment lines (`: ping`), without the colon and space. */
  comments: string[];
}

/** Generous: only a broken server ever waits this long, and then the test fails rather than hangs. */
const WAIT_MS = 5000;

export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';

  constructor(res: Response) {
    if (!res.body) throw new Error('The response has no body.');
    this.#reader = res.body.getReader();
  }

  /** The next frame (up to a blank line); rejects when none comes within the bounded wait. */
  async frame(): Promise<Frame> {
    for (;;) {
      const end = this.#buffer.indexOf('\n\n');
      if (end >= 0) {
        const raw = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        return parseFrame(raw);
      }
      const chunk = await bounded(this.#reader.read(), 'the next event-stream frame');
      if (chunk.done) throw new Error('The event stream ended.');
      this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
    }
  }

  /** The next frame that is an event (skipping `retry` and comment frames). */
  async event(): Promise<Frame & { id: string; event: string; data: string }> {
    for (;;) {
      const frame = await this.frame();
      if (frame.event !== undefined && frame.id !== undefined && frame.data !== undefined) {
        return frame as Frame & { id: string; event: string; data: string };
      }
    }
  }

  /** The next `n` events. */
  async events(n: number) {
    const events = [];
    for (let k = 0; k < n; k++) events.push(await this.event());
    return events;
  }

  /** Disconnects, as a browser closing the tab. */
  cancel(): Promise<void> {
    return this.#reader.cancel();
  }
}

function parseFrame(raw: string): Frame {
  const frame: Frame = { comments: [] };
  for (const line of raw.split('\n')) {
    if (line.startsWith(':')) {
      frame.comments.push(line.slice(1).trimStart());
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
    else if (field === 'id' || field === 'event' || field === 'retry') frame[field] = value;
  }
  return frame;
}

/** `promise`, or a rejection naming `what` after the bounded wait. */
export async function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}.`)), WAIT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once `check()` holds; polls, and fails after the bounded wait. */
export async function eventually(check: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > WAIT_MS) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
