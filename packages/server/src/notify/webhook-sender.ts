import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { literalHostRefusal, publicOnlyLookup } from './address-policy.js';

export interface WebhookRequest {
  url: string;
  /** The exact bytes that were signed. */
  body: string;
  headers: Record<string, string>;
  /** For the whole attempt: connecting, sending and the response's head and first bytes. */
  timeoutMs: number;
  /** Loopback and private addresses too (COLLOQUY_WEBHOOK_ALLOW_PRIVATE=1). */
  allowPrivate: boolean;
  /** At most this much of the response body is read (for the log), then the connection is closed. */
  maxResponseBytes: number;
}

export interface WebhookResponse {
  /** The HTTP status, or null when none came (refused, unreachable, timed out, blocked). */
  status: number | null;
  /** Null for a 2xx; else what went wrong, in a line. */
  error: string | null;
  /** A Retry-After the receiver sent (seconds), for scheduling the next attempt. */
  retryAfterSeconds: number | null;
}

const USER_AGENT = 'Colloquy-Webhooks/1';
/** Keeps the log readable and free of whatever bytes a receiver sends back. */
const printable = (text: string) =>
  text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .trim()
    .slice(0, 200);

function retryAfter(value: string | string[] | undefined): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return null;
  if (/^\d{1,9}$/.test(text.trim())) return Number(text.trim());
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * POSTs one signed delivery. Redirects are not followed (a 3xx is a failure, as Standard
 * Webhooks recommends), no proxy or connection pool is used, and the connection is checked
 * against the address policy as it is made (see address-policy.ts). Never throws.
 */
export function postWebhook(req: WebhookRequest): Promise<WebhookResponse> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return Promise.resolve({ status: null, error: 'The webhook URL is not a URL.', retryAfterSeconds: null });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.resolve({
      status: null,
      error: 'Webhooks go to http(s) URLs only.',
      retryAfterSeconds: null,
    });
  }
  if (!req.allowPrivate) {
    const refusal = literalHostRefusal(url);
    if (refusal !== null) {
      return Promise.resolve({
        status: null,
        error: `Not sent: ${refusal}; webhooks go only to public addresses unless COLLOQUY_WEBHOOK_ALLOW_PRIVATE=1.`,
        retryAfterSeconds: null,
      });
    }
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (response: WebhookResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(response);
    };
    const outgoing = send(url, {
      method: 'POST',
      agent: false,
      ...(req.allowPrivate ? {} : { lookup: publicOnlyLookup }),
      headers: {
        ...req.headers,
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(req.body)),
        'User-Agent': USER_AGENT,
      },
    });
    const deadline = setTimeout(() => {
      finish({
        status: null,
        error: `No answer within ${Math.round(req.timeoutMs / 1000)} seconds.`,
        retryAfterSeconds: null,
      });
      outgoing.destroy();
    }, req.timeoutMs);
    outgoing.on('error', (error: Error & { code?: string }) => {
      finish({
        status: null,
        error: printable(error.message || error.code || 'The connection failed.'),
        retryAfterSeconds: null,
      });
    });
    outgoing.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let read = 0;
      const done = () => {
        const excerpt = printable(Buffer.concat(chunks).toString('utf8'));
        const ok = status >= 200 && status < 300;
        finish({
          status,
          error: ok
            ? null
            : `HTTP ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}${excerpt ? `: ${excerpt}` : ''}`,
          retryAfterSeconds: retryAfter(res.headers['retry-after']),
        });
        res.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        const room = req.maxResponseBytes - read;
        if (room > 0) chunks.push(chunk.subarray(0, room));
        read += chunk.length;
        if (read >= req.maxResponseBytes) done();
      });
      res.on('end', done);
      res.on('error', done);
    });
    outgoing.end(req.body);
  });
}
