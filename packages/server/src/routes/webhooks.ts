import { Hono } from 'hono';
import {
  MAX_DELIVERIES_PAGE,
  MAX_WEBHOOK_SUBSCRIPTIONS,
  type CreatedWebhookSubscription,
  type WebhookSubscriptions,
} from '@colloquy/api';
import { deliveriesQuery, webhookIdParam, webhookInput } from '@colloquy/api/schemas';
import { adminOnly } from '../middleware/admin-only/index.js';
import { jsonObjectBody } from '../middleware/json-object-body/index.js';
import { literalHostRefusal } from '../notify/address-policy.js';
import { newWebhookSecret } from '../notify/signing.js';
import { notFound, ProblemError } from '../problem.js';
import { validate } from '../validate.js';
import type { AppDeps } from './deps.js';

/**
 * Webhook subscriptions and the delivery log, for the admin token (and the console):
 * `GET|POST /webhooks`, `DELETE /webhooks/:id`, `GET /deliveries`.
 */
export function webhookRoutes({ store, admin, config }: AppDeps) {
  /** A URL that can never be sent to is refused now, not at its first delivery. */
  const subscription = webhookInput.refine(
    (v) => config.webhookAllowPrivate || literalHostRefusal(new URL(v.url)) === null,
    {
      path: ['url'],
      message:
        'url must be on a public address (not loopback, private or link-local) unless the server sets COLLOQUY_WEBHOOK_ALLOW_PRIVATE=1',
      when: ({ issues }) => !issues.some((issue) => issue.path?.[0] === 'url'),
    },
  );

  return new Hono()
    .use('*', adminOnly(admin))
    .get('/webhooks', async (c) => {
      c.header('Cache-Control', 'private, no-store');
      const result: WebhookSubscriptions = { webhooks: await store.notifications.listWebhooks() };
      return c.json(result);
    })
    .post('/webhooks', jsonObjectBody(), validate('json', subscription), async (c) => {
      const input = c.req.valid('json');
      const secret = input.secret ?? newWebhookSecret();
      const hook = await store.notifications.createWebhook({
        url: input.url,
        events: input.events,
        secret,
        description: input.description ?? null,
      });
      if (!hook) {
        throw new ProblemError(
          409,
          'too-many-webhooks',
          'Too many webhook subscriptions',
          `A site has at most ${MAX_WEBHOOK_SUBSCRIPTIONS} webhook subscriptions; delete one first.`,
        );
      }
      c.header('Cache-Control', 'no-store'); // it carries the secret
      c.header('Location', `/api/v1/admin/webhooks/${hook.id}`);
      const created: CreatedWebhookSubscription = { ...hook, secret };
      return c.json(created, 201);
    })
    .delete('/webhooks/:id', validate('param', webhookIdParam), async (c) => {
      const { id } = c.req.valid('param');
      if (!(await store.notifications.deleteWebhook(id))) throw notFound(`No webhook subscription "${id}".`);
      return c.body(null, 204);
    })
    .get('/deliveries', validate('query', deliveriesQuery), async (c) => {
      const { limit = MAX_DELIVERIES_PAGE, before, webhook, status } = c.req.valid('query');
      c.header('Cache-Control', 'private, no-store');
      return c.json(
        await store.notifications.listDeliveries({
          limit,
          before: before ?? null,
          webhookId: webhook ?? null,
          status: status ?? null,
        }),
      );
    });
}
