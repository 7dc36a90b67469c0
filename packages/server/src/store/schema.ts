import type { ColumnType, Generated, SqlBool } from 'kysely';
import type { DeliveryStatus, NotificationEvent, ReactionKind, ReplyStatus } from '@colloquy/api';
import type { TopicEvent } from './store.js';

/**
 * The tables as the store's queries read and write them, whatever the dialect (migrations.ts
 * has the DDL of each). Where the dialects store a value differently, the dialect converts it
 * on the way in and out, so the store sees one type:
 */

/** A JSON document: TEXT in SQLite, JSONB in PostgreSQL; written and read back as JSON text. */
export type Json = string;
/**
 * An instant the server made (reply, reaction, event and update times): ISO text in SQLite,
 * TIMESTAMPTZ in PostgreSQL; written and read back as Date#toISOString text.
 */
export type Instant = string;
/**
 * A 64-bit integer the database counts: a number from SQLite, a decimal string from pg. Only
 * ever incremented in SQL, or compared with a decimal string (exact in both).
 */
type Int64 = ColumnType<number | string, never, number | string>;
/** A boolean: 0/1 in SQLite, BOOLEAN in PostgreSQL. */
type Bool = ColumnType<SqlBool, boolean | undefined, boolean>;

/** One cached counter column per reaction kind, so reads never count reaction rows. */
export type CountColumn = `${ReactionKind}_count`;
type Counters = { [column in CountColumn]: Generated<number> };

export interface TopicsTable extends Counters {
  id: string;
  title: string;
  url: string | null;
  category: Json | null;
  label: string | null;
  summary: string | null;
  author: Json | null;
  /** TEXT in both: the instant the admin API was given, returned verbatim. */
  created_at: string;
  body: Json;
  text: string;
  /** The body's Markdown source as written; null only in a row from before sources were kept, until the store fills it. */
  source: string | null;
  sources: Json;
  locked: Bool;
  reply_count: Generated<number>;
  latest_reply_id: string | null;
  updated_at: Instant;
  /** Bumped by every write that changes a read of the topic (see Store.topicVersion). */
  version: Int64;
  /** The newest of the topic's events pruned so far (0: none): a replay from before it is incomplete. */
  events_pruned_through: Int64;
}

export interface RepliesTable extends Counters {
  id: string;
  topic_id: string;
  parent_id: string | null;
  root_id: string;
  depth: number;
  author_name: string;
  created_at: Instant;
  edited_at: Instant | null;
  body: Json;
  text: string;
  /** The body's Markdown source as written (empty once deleted); null as in TopicsTable. */
  source: string | null;
  status: ReplyStatus;
  edit_token_hash: Buffer | null;
  reader_hash: Buffer | null;
  author_sub: string | null;
  /** The /24 or /64 the reply was posted from, for moderators' filters and bans. */
  client_prefix: ColumnType<string | null, string | null | undefined, string | null>;
  /** Readers' reports not yet dealt with. */
  report_count: Generated<number>;
}

export interface ReactionsTable {
  target_type: 'topic' | 'reply';
  target_id: string;
  kind: ReactionKind;
  reader_hash: Buffer;
  created_at: Instant;
}

export interface VerifiedNamesTable {
  name_key: string;
  sub: string;
  created_at: Instant;
}

export interface BansTable {
  kind: 'reader' | 'address';
  value: string;
  created_at: Instant;
  /** Null: until lifted. */
  expires_at: ColumnType<Instant | null, Instant | null | undefined, Instant | null>;
  created_by: ColumnType<string | null, string | null | undefined, string | null>;
  reason: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One reader's report of a reply (a reader reports a reply once). */
export interface ReportsTable {
  reply_id: string;
  /** The reporter's reader id, else their network, else "anonymous". */
  reporter: string;
  reason: string | null;
  created_at: Instant;
}

export interface ModeratorsTable {
  name: string;
  /** SHA-256 of the moderator's token; the token is shown once and never stored. */
  token_hash: Buffer;
  created_at: Instant;
  created_by: string;
}

export interface ModeratorSessionsTable {
  /** SHA-256 of the session cookie's value. */
  id_hash: Buffer;
  moderator: string;
  role: 'admin' | 'moderator';
  csrf_token: string;
  /** Sign-in: no session outlives its absolute limit from here, however it is rotated. */
  started_at: Instant;
  /** When this id was issued (at sign-in or rotation). */
  issued_at: Instant;
  expires_at: Instant;
}

export interface ModerationLogTable {
  id: Int64;
  at: Instant;
  moderator: string;
  action: string;
  reply_id: string | null;
  topic_id: string | null;
  target: string | null;
  detail: string | null;
}

export interface EventsTable {
  /** Read as text, so that it stays exact beyond 2^53. */
  id: Int64;
  topic_id: string;
  type: TopicEvent['type'];
  data: Json;
  /** The reply a reply-created or reply-changed event shows; a change of it rewrites their data. */
  reply_id: string | null;
  created_at: Instant;
}

/** One rate limit's current window for one key (see Store.hitRateWindow). */
export interface RateWindowsTable {
  name: string;
  key: string;
  /** Milliseconds since the epoch; BIGINT in PostgreSQL, read back as text. */
  window_start: ColumnType<number | string, number, number>;
  count: number;
}

/** One notable write, waiting to be turned into deliveries (see notifications.ts). */
export interface OutboxTable {
  id: Int64;
  type: NotificationEvent;
  reply_id: string;
  topic_id: string;
  created_at: Instant;
}

export interface WebhooksTable {
  /** `wh_` and random characters. */
  id: string;
  url: string;
  /** The subscribed event types, a JSON list. */
  events: Json;
  /** `whsec_…`, as Standard Webhooks serializes a signing key; only ever sent in a signature. */
  secret: string;
  description: string | null;
  created_at: Instant;
  /** The receiver answered 410 Gone. */
  disabled_at: Instant | null;
  /** Removed by an admin; kept so the delivery log still names it. */
  deleted_at: Instant | null;
}

export interface DeliveriesTable {
  id: Int64;
  /** The `webhook-id`, the same for every receiver and attempt of one outbox entry. */
  message_id: string;
  channel: 'webhook' | 'email';
  event: NotificationEvent;
  reply_id: string;
  topic_id: string;
  /** When the write that caused it happened. */
  event_at: Instant;
  webhook_id: string | null;
  recipient_kind: 'moderator' | 'author' | null;
  /** An email address; null for webhooks. */
  recipient: string | null;
  status: DeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: Instant | null;
  /** While a dispatcher sends it: until when the claim holds, and whose it is. */
  lease_until: Instant | null;
  lease_token: string | null;
  last_error: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface DeliveryAttemptsTable {
  /** Written as the decimal text of the delivery's id, read back as such. */
  delivery_id: ColumnType<number | string, string, never>;
  attempt: number;
  at: Instant;
  status: number | null;
  error: string | null;
}

export interface AuthorEmailsTable {
  reply_id: string;
  email: string;
}

export interface EmailOptOutsTable {
  /** SHA-256 of the lowercased address. */
  email_hash: Buffer;
  created_at: Instant;
}

/** Single-use links that were used, kept until they would have expired anyway. */
export interface SpentLinksTable {
  nonce: string;
  expires_at: Instant;
}

/** Keys the servers of one database share, made on first use (the email links' signing key). */
export interface NotificationKeysTable {
  name: string;
  key: Buffer;
  created_at: Instant;
}

/** An imported thread (see import/): its source system's name and id there, and its topic. */
export interface ImportTopicsTable {
  source: string;
  source_id: string;
  topic_id: string;
}

/** An imported comment: its source system's name and id there, and its reply. */
export interface ImportRepliesTable {
  source: string;
  source_id: string;
  reply_id: string;
}

export interface Schema {
  topics: TopicsTable;
  replies: RepliesTable;
  reactions: ReactionsTable;
  verified_names: VerifiedNamesTable;
  bans: BansTable;
  events: EventsTable;
  rate_windows: RateWindowsTable;
  outbox: OutboxTable;
  webhooks: WebhooksTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  author_emails: AuthorEmailsTable;
  email_opt_outs: EmailOptOutsTable;
  spent_links: SpentLinksTable;
  notification_keys: NotificationKeysTable;
  import_topics: ImportTopicsTable;
  import_replies: ImportRepliesTable;
  reports: ReportsTable;
  moderators: ModeratorsTable;
  moderator_sessions: ModeratorSessionsTable;
  moderation_log: ModerationLogTable;
}
