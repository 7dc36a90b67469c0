import { createHmac, randomBytes } from 'node:crypto';

/**
 * Webhook signatures in the Standard Webhooks scheme: the secret is `whsec_` and the base64 of
 * its key bytes; each delivery carries `webhook-id` (the same on every retry, for the receiver
 * to deduplicate), `webhook-timestamp` (this attempt's time, in seconds, so a receiver can refuse
 * replays) and `webhook-signature`, `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`.
 */

const PREFIX = 'whsec_';

/** A new secret: 32 random bytes. */
export const newWebhookSecret = () => `${PREFIX}${randomBytes(32).toString('base64')}`;

/** The key bytes of a secret (the schema has checked its form). */
export const secretKey = (secret: string) =>
  Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');

/** `v1,<base64 HMAC-SHA256 of id.timestamp.body>`. */
export function webhookSignature(secret: string, messageId: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret))
    .update(`${messageId}.${timestamp}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

/** The three headers of one attempt. */
export function signedHeaders(
  secret: string,
  messageId: string,
  timestamp: number,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': webhookSignature(secret, messageId, timestamp, body),
  };
}
