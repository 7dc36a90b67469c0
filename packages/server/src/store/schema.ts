import type { ColumnType, Generated, SqlBool } from 'kysely';
import type { ReactionKind, ReplyStatus } from '@colloquy/api';
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
  sources: Json;
  locked: Bool;
  reply_count: Generated<number>;
  latest_reply_id: string | null;
  updated_at: Instant;
  /** Bumped by every write that changes a read of the topic (see Store.topicVersion). */
  version: Int64;
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
  status: ReplyStatus;
  edit_token_hash: Buffer | null;
  reader_hash: Buffer | null;
  author_sub: string | null;
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
}

export interface EventsTable {
  /** Read as text, so that it stays exact beyond 2^53. */
  id: Int64;
  topic_id: string;
  type: TopicEvent['type'];
  data: Json;
  created_at: Instant;
}

export interface Schema {
  topics: TopicsTable;
  replies: RepliesTable;
  reactions: ReactionsTable;
  verified_names: VerifiedNamesTable;
  bans: BansTable;
  events: EventsTable;
}
