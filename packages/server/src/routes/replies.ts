import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import {
  docLinks,
  EDIT_TOKEN_HEADER,
  MAX_NAME_LENGTH,
  pageTopicUrl,
  PROOF_HEADER,
  type CreatedReply,
} from '@colloquy/api';
import { VersionedBodies } from '../caching.js';
import { cursorParam } from '../cursor.js';
import { renderMarkdown } from '../markdown.js';
import { tooManyRequests } from '../abuse/rate-limiter.js';
import { bearerToken } from '../auth/admin-token.js';
import { verifyJwt, type SignedInUser } from '../auth/jwt.js';
import { matchesDigest, sha256 } from '../digest.js';
import { jsonObjectBody } from '../middleware/json-object-body/index.js';
import { notFound, ProblemError } from '../problem.js';
import {
  editTokenHeader,
  newReply,
  optionalReaderHeader,
  pageQuery,
  replyEdit,
  replyIdParam,
  topicIdParam,
} from '@colloquy/api/schemas';
import { nameKey, signedInName } from '../services/names.js';
import { rethrowStoreError } from '../store-errors.js';
import { validate } from '../validate.js';
import { readerHashOf, type AppDeps } from './deps.js';
import { markPrivateIfPending, versionedRead } from './versioned-read.js';

export function replyRoutes({ store, config, admin, pow, limits, clientPrefix, announce }: AppDeps) {
  const storeError = rethrowStoreError;

  /** Renders a body and applies the content rules every writer obeys, the admin included. */
  function renderReplyBody(markdown: string) {
    const rendered = renderMarkdown(markdown);
    const links = docLinks(rendered.body).length;
    if (links > config.maxLinksPerReply) {
      const message = `A reply may carry at most ${config.maxLinksPerReply} links; this one has ${links}.`;
      throw new ProblemError(422, 'too-many-links', 'Too many links', message, [{ path: 'body', message }]);
    }
    return { ...rendered, links };
  }

  /** Which new (or edited) replies wait for a moderator; the moderator's own never do. */
  async function moderatedStatus(
    c: Context,
    links: number,
    author: { readerHash: Buffer | null; sub: string | null },
  ): Promise<'published' | 'pending'> {
    if (admin.isAdmin(c)) return 'published';
    switch (config.moderation) {
      case 'off':
        return 'published';
      case 'all':
        return 'pending';
      case 'links':
        return links > 0 ? 'pending' : 'published';
      case 'first':
        return (await store.hasPublishedReply(author)) ? 'published' : 'pending';
    }
  }

  /** The signed-in user of a reply, or null for an anonymous one (or the admin). */
  function signedInUser(c: Context): SignedInUser | null {
    const token = bearerToken(c);
    if (token === undefined || admin.isAdmin(c)) return null;
    if (config.jwtSecret === null) {
      throw new ProblemError(
        401,
        'sign-in-disabled',
        'Sign-in not configured',
        'This server accepts no sign-in tokens (COLLOQUY_JWT_SECRET is not set); post without the Authorization header.',
        undefined,
        { 'WWW-Authenticate': 'Bearer realm="colloquy"' },
      );
    }
    const user = verifyJwt(token, config.jwtSecret);
    const name = signedInName(user.name);
    if (name === null) {
      throw new ProblemError(
        401,
        'invalid-token',
        'Invalid sign-in token',
        `The sign-in token's name claim must be 1–${MAX_NAME_LENGTH} characters without control or bidirectional override characters.`,
        undefined,
        { 'WWW-Authenticate': 'Bearer realm="colloquy", error="invalid_token"' },
      );
    }
    return { sub: user.sub, name };
  }

  /** The edit token check of PATCH and DELETE by the author: right token, within the window. */
  async function authorize(id: string, token: string) {
    const credentials = await store.getReplyCredentials(id);
    if (!credentials || credentials.status === 'deleted') throw notFound(`No reply "${id}".`);
    const hash = credentials.editTokenHash;
    if (hash === null || !matchesDigest(token, hash)) {
      throw new ProblemError(403, 'wrong-edit-token', 'Not your reply', `${EDIT_TOKEN_HEADER} is not the edit token of this reply.`);
    }
    const until = Date.parse(credentials.createdAt) + config.editWindowSeconds * 1000;
    if (Date.now() >= until) {
      throw new ProblemError(
        403,
        'edit-window-over',
        'Too late to change',
        `A reply can be edited or deleted for ${Math.round(config.editWindowSeconds / 60)} minutes after posting; that time is over.`,
      );
    }
    if (credentials.status === 'hidden') {
      throw new ProblemError(403, 'reply-hidden', 'Reply hidden', 'A moderator has hidden this reply; it can no longer be changed.');
    }
    return credentials;
  }

  // Reply pages serialized once per version and query (see VersionedBodies).
  const bodies = new VersionedBodies();

  return new Hono()
    .get('/challenge', (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(pow.issue());
    })
    .get(
      '/topics/:id/replies',
      validate('param', topicIdParam),
      validate('query', pageQuery),
      validate('header', optionalReaderHeader),
      async (c) => {
        const { id } = c.req.valid('param');
        const { limit = config.pageSize, cursor } = c.req.valid('query');
        const readerHash = readerHashOf(c);
        return versionedRead(c, {
          store,
          bodies,
          topicId: id,
          kind: 'r',
          limit,
          cursor,
          readerHash,
          read: () => store.listReplies(id, { limit, cursor: cursorParam(cursor) }, { readerHash }).catch(storeError),
        });
      },
    )
    .post(
      '/topics/:id/replies',
      validate('param', topicIdParam),
      validate('header', optionalReaderHeader),
      jsonObjectBody(),
      validate('json', newReply),
      async (c) => {
        const { id } = c.req.valid('param');
        const input = c.req.valid('json');
        const user = signedInUser(c);
        const authorName = user?.name ?? input.authorName;
        if (authorName === undefined) {
          const message = 'authorName is required: the name shown with the reply, 1–60 characters';
          throw new ProblemError(422, 'invalid-body', 'The request body is not valid', message, [{ path: 'authorName', message }]);
        }
        if (input.website !== undefined && input.website.trim() !== '') {
          // The honeypot is refused openly rather than with a fake success: a person whose
          // browser autofilled the hidden field gets a 422 they can act on, instead of
          // believing a reply was posted that nobody will ever see. Bots learn nothing they
          // could not learn from reading the form. The detail stays neutral on purpose.
          const message = 'website must be left empty';
          throw new ProblemError(422, 'invalid-body', 'The request body is not valid', message, [{ path: 'website', message }]);
        }
        if (!admin.isAdmin(c)) {
          // The admin token skips these (imports and tools post in bulk), never the rules below.
          const retryReply = limits.reply.hit(clientPrefix(c) ?? 'unknown');
          if (retryReply !== null) throw tooManyRequests(retryReply, `At most ${config.replyRateLimit} replies a minute may come from one network.`);
          const retryTopic = limits.topic.hit(id);
          if (retryTopic !== null) throw tooManyRequests(retryTopic, `This topic takes at most ${config.topicRateLimit} replies a minute.`);
          pow.verify(c.req.header(PROOF_HEADER));
        }
        const { body, text, links } = renderReplyBody(input.body);
        const readerHash = readerHashOf(c);
        const status = await moderatedStatus(c, links, { readerHash, sub: user?.sub ?? null });
        const editToken = randomBytes(32).toString('base64url');
        const reply = await store
          .createReply({
            topicId: id,
            parentId: input.parentId ?? null,
            authorName,
            body,
            text,
            status,
            editTokenHash: sha256(editToken),
            readerHash,
            verifiedSub: user?.sub ?? null,
            nameKey: nameKey(authorName),
            maxDepth: config.maxReplyDepth,
            ...pageTopic(id, c.req.header('Origin'), input.pageTitle),
          })
          .catch(storeError);
        if (reply.status !== 'pending') await announce(reply.topicId);
        const created: CreatedReply = {
          ...reply,
          editToken,
          editableUntil: new Date(Date.parse(reply.createdAt) + config.editWindowSeconds * 1000).toISOString(),
        };
        c.header('Location', `/api/v1/replies/${encodeURIComponent(reply.id)}`);
        c.header('Cache-Control', 'no-store'); // it carries the edit token
        return c.json(created, 201);
      },
    )
    .get('/replies/:id', validate('param', replyIdParam), validate('header', optionalReaderHeader), async (c) => {
      const { id } = c.req.valid('param');
      const reply = await store.getReply(id, { readerHash: readerHashOf(c), admin: admin.isAdmin(c) });
      if (!reply) throw notFound(`No reply "${id}".`);
      markPrivateIfPending(c, [reply]);
      return c.json(reply);
    })
    .patch(
      '/replies/:id',
      validate('param', replyIdParam),
      validate('header', editTokenHeader),
      jsonObjectBody(),
      validate('json', replyEdit),
      async (c) => {
        const { id } = c.req.valid('param');
        await authorize(id, c.req.valid('header')[EDIT_TOKEN_HEADER]);
        const { body, text, links } = renderReplyBody(c.req.valid('json').body);
        // An edit cannot smuggle past review what a new reply could not: in `all` mode, and in
        // `links` mode when the new text has links, the reply waits for a moderator again.
        const held = config.moderation === 'all' || (config.moderation === 'links' && links > 0);
        const status = held && !admin.isAdmin(c) ? 'pending' : undefined;
        const reply = await store.editReply(id, { body, text, ...(status ? { status } : {}) });
        if (!reply) throw notFound(`No reply "${id}".`);
        await announce(reply.topicId);
        markPrivateIfPending(c, [reply]);
        return c.json(reply);
      },
    )
    .delete('/replies/:id', validate('param', replyIdParam), validate('header', editTokenHeader), async (c) => {
      const { id } = c.req.valid('param');
      await authorize(id, c.req.valid('header')[EDIT_TOKEN_HEADER]);
      const reply = await store.setReplyStatus(id, 'deleted');
      if (!reply) throw notFound(`No reply "${id}".`);
      await announce(reply.topicId);
      return c.json(reply);
    });

  /**
   * A page topic (keyed by its URL) springs into existence on its first reply, but only when
   * posted from an allowed host page of that very origin, so nobody can create topics for
   * pages of other sites.
   */
  function pageTopic(id: string, origin: string | undefined, pageTitle: string | undefined) {
    const url = pageTopicUrl(id);
    if (!url || origin === undefined || !config.allowedOrigins.includes(origin) || url.origin !== origin) return {};
    return { createTopic: { title: pageTitle ?? id, url: id } };
  }
}
