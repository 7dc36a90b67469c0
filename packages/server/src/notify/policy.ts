import type { OutboxEntry, PlanContext, PlannedDelivery, Planner } from '../store/notifications.js';

export interface NotificationPolicy {
  /** Email is configured (an SMTP URL and a From address). */
  mail: boolean;
  moderatorEmails: readonly string[];
  /** Most emails one author address gets in 24 hours. */
  authorEmailsPerDay: number;
}

/**
 * Who hears of what:
 * - every webhook subscription that asked for the entry's event;
 * - by email, each moderator of a reply awaiting review (with approve and hide links);
 * - by email, the author of the reply's parent, when a reply to theirs becomes visible (posted
 *   published, or approved), if they gave an address, have not unsubscribed, are not its author
 *   themselves, and have had fewer than `authorEmailsPerDay` emails today: an address typed into
 *   a form is a stranger's claim, so what it can bring its owner is bounded.
 */
export function notificationPlanner(policy: NotificationPolicy): Planner {
  return (entry: OutboxEntry, context: PlanContext): PlannedDelivery[] => {
    const planned: PlannedDelivery[] = context.webhooks
      .filter((hook) => hook.events.includes(entry.type))
      .map((hook) => ({ channel: 'webhook' as const, webhookId: hook.id }));
    if (!policy.mail) return planned;
    if (entry.type === 'reply.pending') {
      for (const address of policy.moderatorEmails)
        planned.push({ channel: 'email', recipientKind: 'moderator', recipient: address });
    }
    const parent = context.parentAuthorEmail;
    if (
      (entry.type === 'reply.created' || entry.type === 'reply.approved') &&
      parent !== null &&
      parent.toLowerCase() !== context.replyAuthorEmail?.toLowerCase() &&
      context.emailsToParentAuthorToday < policy.authorEmailsPerDay
    ) {
      planned.push({ channel: 'email', recipientKind: 'author', recipient: parent });
    }
    return planned;
  };
}

/**
 * How long to wait before attempt `attempt + 1`, after `attempt` failed ones: `baseMs` doubled
 * each time, at most `maxMs`, then a random half of it taken off (jitter, so that receivers that
 * failed together are not retried together). `random` is in [0, 1).
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: number): number {
  const full = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(full / 2 + (full / 2) * random);
}
