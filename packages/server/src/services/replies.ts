import { randomBytes } from 'node:crypto';
import {
  docLinks,
  EDIT_TOKEN_HEADER,
  MAX_NAME_LENGTH,
  pageTopicUrl,
  type CreatedReply,
  type NewReply,
  type Reply,
} from '@colloquy/api';
import type { ProofOfWork } from '../abuse/proof-of-work.js';
import { type Limiter, tooManyRequests } from '../abuse/rate-limiter.js';
import { verifyJwt, type SignedInUser } from '../auth/jwt.js';
import type { AppConfig } from '../config.js';
import { matchesDigest, sha256 } from '../digest.js';
import { renderMarkdown } from '../markdown.js';
import { notFound, ProblemError } from '../problem.js';
import { rethrowStoreError } from '../store-errors.js';
import type { ReplyCredentials, Store } from '../store/store.js';
import { nameKey, nameKeys, signedInName } from './names.js';

/** Who is asking, as far as the reply policy cares; the routes take it from the request. */
export interface Requester {
  /** The request carries the admin token: no limits or proof asked, never held for review. */
  admin: boolean;
  /** A bearer token other than the admin's: the host site's sign-in token (JWT). */
  bearerToken: string | undefined;
  /** The host page's origin (the `Origin` header). */
  origin: string | undefined;
  /** The client's /24 or /64; undefined when there is no socket (in-process tests). */
  clientPrefix: string | undefined;
  /** SHA-256 of the reader's key, when the request names a reader. */
  readerHash: Buffer | null;
  /** The solved proof of work, as sent in the `X-Colloquy-Proof` header. */
  proof: string | undefined;
}

export interface ReplyServiceDeps {
  store: Store;
  config: Pick<
    AppConfig,
    | 'allowedOrigins'
    | 'jwtSecret'
    | 'moderation'
    | 'maxLinksPerReply'
    | 'maxReplyDepth'
    | 'editWindowSeconds'
    | 'pageTopics'
    | 'replyRateLimit'
    | 'topicRateLimit'
  >;
  pow: ProofOfWork;
  /** Replies per network: every attempt counts, refused or not. */
  replyLimit: Limiter;
  /** Replies per topic: only accepted replies count, so junk cannot lock a topic. */
  topicLimit: Limiter;
  /** Tells live readers of a topic that it changed; never throws. */
  announce(topicId: string): Promise<void>;
}

/** The author of a new reply: a signed-in user of the host site, or a name typed by a reader. */
interface Author {
  name: string;
  /** The signed-in user's `sub`; null for an anonymous author. */
  sub: string | null;
  readerHash: Buffer | null;
}

/**
 * The policy of writing a reply, in one place and callable without HTTP: who may post under
 * which name, the honeypot, rate limits and proof of work, the content rules, which replies wait
 * for a moderator, page topics created by their first reply, and the author's own edits.
 * Every refusal is a ProblemError; the store's rules (parent, depth, reserved names, locks)
 * come back as problems too.
 */
export class ReplyService {
  readonly #store: Store;
  readonly #config: ReplyServiceDeps['config'];
  readonly #pow: ProofOfWork;
  readonly #replyLimit: Limiter;
  readonly #topicLimit: Limiter;
  readonly #announce: (topicId: string) => Promise<void>;

  constructor({ store, config, pow, replyLimit, topicLimit, announce }: ReplyServiceDeps) {
    this.#store = store;
    this.#config = config;
    this.#pow = pow;
    this.#replyLimit = replyLimit;
    this.#topicLimit = topicLimit;
    this.#announce = announce;
  }

  /** Posts a reply to `topicId`; the result carries the edit token, for its author only. */
  async create(topicId: string, input: NewReply, from: Requester): Promise<CreatedReply> {
    const author = this.#author(input, from);
    refuseFilledHoneypot(input);
    // The admin token skips these (imports and tools post in bulk), never the rules below.
    if (!from.admin) {
      await this.#withinRateLimits(topicId, from);
      await this.#pow.verify(from.proof);
    }
    const { body, text, links } = this.#render(input.body);
    const status = await this.#statusOfNew(links, author, from);
    const editToken = randomBytes(32).toString('base64url');
    const reply = await this.#store
      .createReply({
        topicId,
        parentId: input.parentId ?? null,
        authorName: author.name,
        body,
        text,
        source: input.body,
        status,
        editTokenHash: sha256(editToken),
        readerHash: author.readerHash,
        verifiedSub: author.sub,
        nameKey: nameKey(author.name),
        moreNameKeys: nameKeys(author.name),
        maxDepth: this.#config.maxReplyDepth,
        authorEmail: input.email ?? null,
        clientPrefix: from.clientPrefix ?? null,
        ...this.#pageTopic(topicId, from.origin),
      })
      .catch(rethrowStoreError);
    // Only now, accepted, does the reply count toward the topic's budget (held ones too: each
    // costs a moderator's look). Refusals counted toward the sender's network alone.
    if (!from.admin) await this.#topicLimit.hit(topicId);
    if (reply.status !== 'pending') await this.#announce(reply.topicId);
    return {
      ...reply,
      editToken,
      editableUntil: new Date(this.#editableUntil(reply.createdAt)).toISOString(),
    };
  }

  /** The author's edit of their reply, with its edit token, within the edit window. */
  async edit(
    id: string,
    markdown: string,
    editToken: string,
    from: Pick<Requester, 'admin'>,
  ): Promise<Reply> {
    await this.#authorize(id, editToken);
    const { body, text, links } = this.#render(markdown);
    // An edit cannot smuggle past review what a new reply could not: in `all` mode, and in
    // `links` mode when the new text has links, the reply waits for a moderator again.
    const { moderation } = this.#config;
    const held = moderation === 'all' || (moderation === 'links' && links > 0);
    const status = held && !from.admin ? 'pending' : undefined;
    const reply = await this.#store.editReply(id, {
      body,
      text,
      source: markdown,
      ...(status ? { status } : {}),
    });
    if (!reply) throw notFound(`No reply "${id}".`);
    await this.#announce(reply.topicId);
    return reply;
  }

  /** The author's deletion of their reply, with its edit token, within the edit window. */
  async remove(id: string, editToken: string): Promise<Reply> {
    await this.#authorize(id, editToken);
    const reply = await this.#store.setReplyStatus(id, 'deleted');
    if (!reply) throw notFound(`No reply "${id}".`);
    await this.#announce(reply.topicId);
    return reply;
  }

  /** A signed-in user posts under the name of their token, anyone else under the name typed. */
  #author(input: NewReply, from: Requester): Author {
    const user = this.#signedInUser(from);
    const name = user?.name ?? input.authorName;
    if (name === undefined) {
      const message = `authorName is required: the name shown with the reply, 1–${MAX_NAME_LENGTH} characters`;
      throw new ProblemError(422, 'invalid-body', 'The request body is not valid', message, [
        { path: 'authorName', message },
      ]);
    }
    return { name, sub: user?.sub ?? null, readerHash: from.readerHash };
  }

  /** The signed-in user of a reply, or null for an anonymous one (or the admin). */
  #signedInUser(from: Requester): SignedInUser | null {
    if (from.bearerToken === undefined || from.admin) return null;
    const { jwtSecret } = this.#config;
    if (jwtSecret === null) {
      throw new ProblemError(
        401,
        'sign-in-disabled',
        'Sign-in not configured',
        'This server accepts no sign-in tokens (COLLOQUY_JWT_SECRET is not set); post without the Authorization header.',
        undefined,
        { 'WWW-Authenticate': 'Bearer realm="colloquy"' },
      );
    }
    const user = verifyJwt(from.bearerToken, jwtSecret);
    const name = signedInName(user.name);
    if (name === null) {
      throw new ProblemError(
        401,
        'invalid-token',
        'Invalid sign-in token',
        `The sign-in token's name claim must be 1–${MAX_NAME_LENGTH} visible characters, without control, invisible or bidirectional control characters.`,
        undefined,
        { 'WWW-Authenticate': 'Bearer realm="colloquy", error="invalid_token"' },
      );
    }
    return { sub: user.sub, name };
  }

  /**
   * The sender's network pays for every attempt; the topic is only asked whether it has room,
   * and pays once the reply is accepted (see create()).
   */
  async #withinRateLimits(topicId: string, from: Requester): Promise<void> {
    const retryReply = await this.#replyLimit.hit(from.clientPrefix ?? 'unknown');
    if (retryReply !== null) {
      throw tooManyRequests(
        retryReply,
        `At most ${this.#config.replyRateLimit} replies a minute may come from one network.`,
      );
    }
    const retryTopic = await this.#topicLimit.check(topicId);
    if (retryTopic !== null) {
      throw tooManyRequests(
        retryTopic,
        `This topic takes at most ${this.#config.topicRateLimit} replies a minute.`,
      );
    }
  }

  /** Renders a body and applies the content rules every writer obeys, the admin included. */
  #render(markdown: string) {
    const rendered = renderMarkdown(markdown);
    const links = docLinks(rendered.body).length;
    const max = this.#config.maxLinksPerReply;
    if (links > max) {
      const message = `A reply may carry at most ${max} links; this one has ${links}.`;
      throw new ProblemError(422, 'too-many-links', 'Too many links', message, [{ path: 'body', message }]);
    }
    return { ...rendered, links };
  }

  /** Which new replies wait for a moderator; the moderator's own never do. */
  async #statusOfNew(links: number, author: Author, from: Requester): Promise<'published' | 'pending'> {
    if (from.admin) return 'published';
    switch (this.#config.moderation) {
      case 'off':
        return 'published';
      case 'all':
        return 'pending';
      case 'links':
        return links > 0 ? 'pending' : 'published';
      case 'first':
        return (await this.#store.hasPublishedReply({ readerHash: author.readerHash, sub: author.sub }))
          ? 'published'
          : 'pending';
    }
  }

  /**
   * A page topic (keyed by its URL) springs into existence on its first reply, but only when
   * posted from an allowed host page of that very origin, so nobody can create topics for
   * pages of other sites.
   */
  #pageTopic(id: string, origin: string | undefined) {
    const url = pageTopicUrl(id);
    if (
      !this.#config.pageTopics ||
      !url ||
      origin === undefined ||
      !this.#config.allowedOrigins.includes(origin) ||
      url.origin !== origin
    )
      return {};
    // The title is never taken from the request: anyone can send one with a forged Origin,
    // and it would be shown on the real page. A page topic is titled by its URL until an admin
    // sets a title; `pageTitle` is accepted and ignored.
    return { createTopic: { title: id, url: id } };
  }

  /**
   * Refuses (403) an edit token that is not the reply's own, and a reply that is missing or
   * deleted (404). Reading one's own reply with its source needs no more than this: the edit
   * window bounds changes, not reading.
   */
  async checkEditToken(id: string, token: string): Promise<ReplyCredentials> {
    const credentials = await this.#store.getReplyCredentials(id);
    if (!credentials || credentials.status === 'deleted') throw notFound(`No reply "${id}".`);
    const hash = credentials.editTokenHash;
    if (hash === null || !matchesDigest(token, hash)) {
      throw new ProblemError(
        403,
        'wrong-edit-token',
        'Not your reply',
        `${EDIT_TOKEN_HEADER} is not the edit token of this reply.`,
      );
    }
    return credentials;
  }

  /** The edit token check of an author's edit or deletion: right token, within the window. */
  async #authorize(id: string, token: string): Promise<ReplyCredentials> {
    const credentials = await this.checkEditToken(id, token);
    if (Date.now() >= this.#editableUntil(credentials.createdAt)) {
      const seconds = this.#config.editWindowSeconds;
      // A window under two minutes in seconds, so that a short one never reads "0 minutes".
      const window =
        seconds < 120
          ? `${seconds} second${seconds === 1 ? '' : 's'}`
          : `${Math.round(seconds / 60)} minutes`;
      throw new ProblemError(
        403,
        'edit-window-over',
        'Too late to change',
        `A reply can be edited or deleted for ${window} after posting; that time is over.`,
      );
    }
    if (credentials.status === 'hidden') {
      throw new ProblemError(
        403,
        'reply-hidden',
        'Reply hidden',
        'A moderator has hidden this reply; it can no longer be changed.',
      );
    }
    return credentials;
  }

  #editableUntil(createdAt: string): number {
    return Date.parse(createdAt) + this.#config.editWindowSeconds * 1000;
  }
}

/**
 * The honeypot is refused openly rather than with a fake success: a person whose browser
 * autofilled the hidden field gets a 422 they can act on, instead of believing a reply was
 * posted that nobody will ever see. Bots learn nothing they could not learn from reading the
 * form. The detail stays neutral on purpose.
 */
function refuseFilledHoneypot(input: NewReply): void {
  if (input.website !== undefined && input.website.trim() !== '') {
    const message = 'website must be left empty';
    throw new ProblemError(422, 'invalid-body', 'The request body is not valid', message, [
      { path: 'website', message },
    ]);
  }
}
