/**
 * @colloquy/widget: the element classes, their events, the topic store and the API types.
 * Importing this module registers nothing; import `@colloquy/widget/define.js` (or a single
 * element's `…/topic-card.js`) for the default tags, or define your own names.
 */
export { TopicCard } from './topic-card/topic-card.js';
export { SourceList, domainOf } from './source-list/source-list.js';
export { ReplyThread, threadTree, type ThreadNode } from './reply-thread/reply-thread.js';
export { ColloquyElement } from './internal/colloquy-element.js';
export { defineElement } from './internal/define.js';
export { ColloquyReplyPostedEvent } from './events/reply-posted.js';
export { ColloquyReactionEvent, type ColloquyReactionDetail } from './events/reaction.js';
export { ColloquyErrorEvent, type ColloquyErrorDetail } from './events/error.js';
export {
  isSending,
  TopicStore,
  topicStore,
  type ReactionTarget,
  type TopicStoreState,
} from './store/topic-store.js';
export {
  StoreController,
  topicStoreContext,
  defaultApi,
  defaultTopic,
  type StoreHost,
} from './store/context.js';
export { ColloquyError, request, type RequestOptions } from './api/client.js';
export { topicUrl } from './api/urls.js';
export { renderDoc, sourceAnchor } from './doc/render-doc.js';
export {
  addCatalog,
  type Counted,
  type CountedKey,
  I18n,
  i18nFor,
  type Messages,
  setMessages,
} from './i18n/messages.js';
export { PAGE_DATA, type PageData } from './ssr/page-data.js';
export { primeStore } from './ssr/prime.js';
export { theme } from './styles/theme.js';
export {
  EDIT_TOKEN_HEADER,
  PROOF_HEADER,
  READER_HEADER,
  REACTION_KINDS,
  type BanInput,
  type Block,
  type Category,
  type Challenge,
  type CreatedReply,
  type Doc,
  type Inline,
  type LockInput,
  type NewReply,
  type PendingReplies,
  type Problem,
  type ReactionKind,
  type ReactionState,
  type ReactionToggle,
  type Reactions,
  type Reply,
  type ReplyEdit,
  type ReplyPage,
  type ReplyStatus,
  type Source,
  type Topic,
  type TopicAuthor,
  type TopicEventData,
  type TopicEventType,
  type TopicInput,
  type TopicSummaries,
  type TopicSummary,
  type TopicWithReplies,
} from '@colloquy/api';
