import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Reply } from '@colloquy/api';
import { limitBody } from '../middleware/body-limit/index.js';
import type { LinkClaims } from '../notify/links.js';
import { ProblemError } from '../problem.js';
import type { AppDeps } from './deps.js';

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}blockquote{white-space:pre-wrap;border-left:3px solid #999;margin:1rem 0;padding-left:1rem}button{font:inherit;padding:.5rem 1.5rem}';
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
/**
 * The pages run no script, load nothing, cannot be framed and post only to themselves; the
 * link's token is in their URL, so they send no Referer and are never stored.
 */
const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

function page(
  c: Context,
  title: string,
  paragraphs: string[],
  quoted?: string,
  button?: string,
  status: 200 = 200,
): Response {
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>`,
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(quoted !== undefined ? [`<blockquote>${escapeHtml(quoted)}</blockquote>`] : []),
    ...(button !== undefined
      ? [`<form method="post"><button type="submit">${escapeHtml(button)}</button></form>`]
      : []),
    '</body>',
    '</html>',
  ].join('\n');
  return c.body(html, status, PAGE_HEADERS);
}

const invalidLink = () =>
  new ProblemError(
    404,
    'link-invalid',
    'Link not valid',
    'This link is not one this server sent, or it was cut short; copy the whole link from the email.',
  );

const ACTIONS = {
  approve: { status: 'published', verb: 'Approve', done: 'Approved', past: 'approved' },
  hide: { status: 'hidden', verb: 'Hide', done: 'Hidden', past: 'hidden' },
} as const;

/**
 * The pages the links of notification emails open (outside /api: they are for people, and
 * their form posts to itself). A GET only shows what the link would do; the page's button
 * POSTs, and only that acts. Mail scanners and link previews fetch the links in an email, so a
 * GET that approved or hid would let them moderate; they do not submit forms. An unsubscribe
 * link also takes the POST of RFC 8058's one-click unsubscribe.
 */
export function emailLinkRoutes({ store, links, announce }: AppDeps) {
  const claimsOf = async (c: Context, action: 'moderate' | 'unsubscribe'): Promise<LinkClaims> => {
    const claims = (await links()).verify(c.req.param('token') ?? '');
    if (!claims || (action === 'unsubscribe') !== (claims.action === 'unsubscribe')) throw invalidLink();
    return claims;
  };

  /** The reply a moderation link acts on, refused when the link or the reply's state no longer allows it. */
  const moderated = async (claims: LinkClaims): Promise<Reply> => {
    if (claims.action === 'unsubscribe') throw invalidLink();
    if (claims.expiresAt * 1000 <= Date.now()) {
      throw new ProblemError(
        410,
        'link-expired',
        'Link expired',
        'This moderation link has expired; moderate the reply through the admin API instead.',
      );
    }
    const reply = await store.getReply(claims.replyId, { admin: true });
    if (!reply)
      throw new ProblemError(404, 'not-found', 'Not found', 'The reply of this link no longer exists.');
    if (reply.status !== 'pending') {
      throw new ProblemError(
        409,
        'already-moderated',
        'Already moderated',
        `The reply is no longer awaiting review: it is ${reply.status}. Nothing was changed.`,
      );
    }
    return reply;
  };

  return new Hono()
    .use('*', limitBody(4096))
    .get('/moderate/:token', async (c) => {
      const claims = await claimsOf(c, 'moderate');
      const reply = await moderated(claims);
      const action = ACTIONS[claims.action as 'approve' | 'hide'];
      return page(
        c,
        `${action.verb} this reply?`,
        [`A reply by ${reply.author.name}, awaiting review:`],
        reply.text,
        `${action.verb} reply`,
      );
    })
    .post('/moderate/:token', async (c) => {
      const claims = await claimsOf(c, 'moderate');
      const reply = await moderated(claims);
      if (claims.action === 'unsubscribe') throw invalidLink();
      if (!(await store.notifications.spendLink(claims.nonce, new Date(claims.expiresAt * 1000)))) {
        throw new ProblemError(
          410,
          'link-used',
          'Link already used',
          'The links of this email were used already; each email moderates its reply once.',
        );
      }
      const action = ACTIONS[claims.action];
      // Logged like the console's actions; the link names no moderator, only that it was an email's.
      const changed = await store.setReplyStatus(reply.id, action.status, { moderator: 'email link' });
      if (changed) await announce(changed.topicId);
      return page(c, action.done, [`The reply by ${reply.author.name} is ${action.past}.`]);
    })
    .get('/unsubscribe/:token', async (c) => {
      await claimsOf(c, 'unsubscribe');
      return page(
        c,
        'Unsubscribe?',
        ['You will get no more emails about replies to your replies on this site.'],
        undefined,
        'Unsubscribe',
      );
    })
    .post('/unsubscribe/:token', async (c) => {
      const claims = await claimsOf(c, 'unsubscribe');
      if (claims.action !== 'unsubscribe') throw invalidLink();
      await store.notifications.optOutDigest(Buffer.from(claims.emailHash, 'hex'));
      return page(c, 'Unsubscribed', [
        'You will get no more emails about replies to your replies on this site.',
      ]);
    });
}
