import type { Problem } from '@colloquy/api';

/**
 * A failed API call. `status` is the HTTP status, or 0 when the server could not be reached;
 * `detail` is the server's human-readable explanation (RFC 9457 `detail`), meant for the reader.
 */
export class ColloquyError extends Error {
  override name = 'ColloquyError';
  constructor(
    message: string,
    readonly status: number,
    readonly detail: string | null = null,
    /** The problem's `type`, e.g. `urn:colloquy:problem:invalid-proof`. */
    readonly type?: string,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Fetches JSON from the Colloquy API. Problem responses become a {@link ColloquyError};
 * an aborted request rejects with the `AbortError` unchanged so callers can ignore it.
 */
export async function request<T>(url: string, { body, ...init }: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      // Reads are public and cacheable for a few seconds (for CDNs); the elements revalidate
      // (a 304 when nothing changed) so a reader never sees an older copy than their last write.
      cache: 'no-cache',
      ...init,
      headers: body ? { ...init.headers, 'content-type': 'application/json' } : (init.headers ?? {}),
      body: body ? JSON.stringify(body) : null,
    });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ColloquyError('Network error', 0);
  }
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const problem = data as Partial<Problem> | null;
    const detail = problem?.detail || null;
    throw new ColloquyError(detail ?? `HTTP ${response.status}`, response.status, detail, problem?.type);
  }
  return data as T;
}
