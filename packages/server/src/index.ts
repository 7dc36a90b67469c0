export { createApp, type AppType } from './app.js';
export { defaultConfig, MODERATION_MODES, type AppConfig, type ModerationMode } from './config.js';
export { openBus, openStore, type DatabaseOptions } from './cli/database.js';
export { loadConfig, type ServerOptions } from './cli/serve.js';
export { UsageError } from './cli/settings.js';
export { listen, type Listening } from './listen.js';
export { renderMarkdown, type Rendered } from './markdown.js';
export { safeHref } from '@colloquy/api';
export { seedDemo, DEMO_TOPIC_ID } from './seed.js';
export { SqliteStore } from './store/sqlite.js';
export type { Bus } from './bus/bus.js';
export { MemoryBus } from './bus/memory-bus.js';
export { PostgresStore, type PostgresStoreOptions } from './store/postgres.js';
export { PostgresBus, RESYNC, type PostgresBusOptions } from './bus/postgres-bus.js';
export {
  StoreError,
  type Ban,
  type NewReplyRecord,
  type ReplyCredentials,
  type Viewer,
  type PageCursor,
  type ReactionTarget,
  type Store,
  type TopicEvent,
  type TopicRecord,
} from './store/store.js';
