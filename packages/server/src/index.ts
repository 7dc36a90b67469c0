export { createApp, type AppType } from './app.js';
export {
  defaultConfig,
  loadConfig,
  MODERATION_MODES,
  UsageError,
  type AppConfig,
  type ModerationMode,
  type ServerOptions,
} from './config.js';
export { listen, type Listening } from './listen.js';
export { renderMarkdown, safeHref, type Rendered } from './markdown.js';
export { seedDemo, DEMO_TOPIC_ID } from './seed.js';
export { SqliteStore } from './store/sqlite.js';
export {
  StoreError,
  type Ban,
  type NewReplyRecord,
  type ReplyCredentials,
  type Viewer,
  type PageCursor,
  type ReactionTarget,
  type Store,
  type TopicRecord,
} from './store/store.js';
