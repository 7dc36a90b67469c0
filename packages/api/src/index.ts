/**
 * @colloquy/api: the wire contract of Colloquy's HTTP API (version 1), imported by the server,
 * the elements and the tests alike, so neither side learns its API from the other. This entry
 * has no dependencies; the request schemas, which need zod, are `@colloquy/api/schemas`.
 */
export {
  REACTION_KINDS,
  type Category,
  type Challenge,
  type CreatedReply,
  type PendingReplies,
  type Problem,
  type ReactionKind,
  type ReactionState,
  type Reactions,
  type Reply,
  type ReplyPage,
  type ReplyStatus,
  type Source,
  type Topic,
  type TopicAuthor,
  type TopicEventData,
  type TopicEventType,
  type TopicSummaries,
  type TopicSummary,
  type TopicWithReplies,
} from './types.js';
export { EDIT_TOKEN_HEADER, PROOF_HEADER, READER_HEADER } from './headers.js';
export {
  docCitations,
  docLinks,
  docText,
  walkDoc,
  type Block,
  type ColumnAlign,
  type Doc,
  type DocNode,
  type DocVisitor,
  type Inline,
  type ListItem,
  type TableCell,
  type TableRow,
} from './doc.js';
export { isTopicId, pageTopicUrl, READER_KEY, REPLY_ID, TOPIC_SLUG } from './ids.js';
export {
  DEFAULT_PAGE_SIZE,
  MAX_ADDRESS_PREFIX_LENGTH,
  MAX_CATEGORY_LENGTH,
  MAX_CATEGORY_PATH,
  MAX_EDIT_TOKEN_LENGTH,
  MAX_HONEYPOT_LENGTH,
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PAGE_SIZE,
  MAX_PENDING_REPLIES,
  MAX_READER_KEY_LENGTH,
  MAX_REPLY_BODY_LENGTH,
  MAX_REPLY_ID_LENGTH,
  MAX_REQUEST_BODY_BYTES,
  MAX_SLUG_LENGTH,
  MAX_SOURCES,
  MAX_SUMMARY_IDS,
  MAX_SUMMARY_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_TOPIC_AUTHOR_LENGTH,
  MAX_TOPIC_BODY_LENGTH,
  MAX_URL_LENGTH,
  MIN_PAGE_SIZE,
  MIN_READER_KEY_LENGTH,
} from './limits.js';
// Types only: inferred from the schemas, they cost a browser bundle nothing.
export type { BanInput, LockInput, NewReply, PageQuery, ReactionToggle, ReplyEdit, TopicInput } from './schemas.js';
export { safeHref } from './url-policy.js';
