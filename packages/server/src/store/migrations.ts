/**
 * The schema of each dialect, as the SQL that made it: ordered and append-only. A released
 * migration is never edited (existing databases ran it; the store test checks each one's
 * digest), a change is a new entry at the end of each list. Both lists describe the same model
 * (see schema.ts for how the store reads it); their version numbers are their own.
 *
 * Counters (reply_count, *_count) and latest_reply_id are kept up to date in the same
 * transaction as the write that changes them, so no read has to aggregate over replies.
 *
 * A table both dialects gain later (an outbox, say) need not be written twice: Kysely's schema
 * builder compiles one description to each dialect's DDL (`db.schema.createTable(…).compile()`
 * on each store's compiler), given the dialect's names for the types that differ (JSON, instants,
 * booleans, blobs); its SQL is then appended to both lists.
 */

/**
 * The reaction counters as released (one column per kind): spelled out, so that a kind added
 * later comes as a migration of its own and never changes these.
 */
const COUNTERS = `like_count INTEGER NOT NULL DEFAULT 0,
  insightful_count INTEGER NOT NULL DEFAULT 0,
  disagree_count INTEGER NOT NULL DEFAULT 0`;

/** The columns that place a reply in its thread, alike in both dialects. */
const REPLY_PLACE = `  id TEXT PRIMARY KEY,
  topic_id TEXT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
  parent_id TEXT REFERENCES replies(id),
  root_id TEXT NOT NULL,
  depth INTEGER NOT NULL,
  author_name TEXT NOT NULL,`;

const PAGE_INDEXES = `-- A page of top-level replies, first or deep, is a range scan on this small partial index.
CREATE INDEX replies_top_level ON replies (topic_id, created_at, id) WHERE parent_id IS NULL;
-- A whole thread is one range scan, already in creation order.
CREATE INDEX replies_thread ON replies (root_id, created_at, id);
CREATE INDEX replies_parent ON replies (parent_id) WHERE parent_id IS NOT NULL;`;

/**
 * The `top` order of top-level replies: their reactions of every kind (negated, so the order and
 * its keyset run ascending; queries.ts REACTED_RANK is the same expression, which both dialects
 * need to match the index), then creation. The same SQL in both dialects. A reaction kind added
 * later changes the expression, so it comes with an index of its own.
 */
const TOP_REACTED = `
CREATE INDEX replies_top_reacted ON replies
  (topic_id, (0 - like_count - insightful_count - disagree_count), created_at, id)
  WHERE parent_id IS NULL;
`;

/**
 * The Markdown source of every body, next to its tree: the same SQL in both dialects. Rows from
 * before have none (NULL) until the store, on opening, writes one from their tree
 * (fill-sources.ts); the partial indexes find them, and cost nothing once they are done.
 */
const BODY_SOURCES = `
ALTER TABLE replies ADD COLUMN source TEXT;
ALTER TABLE topics ADD COLUMN source TEXT;
CREATE INDEX replies_without_source ON replies (id) WHERE source IS NULL;
CREATE INDEX topics_without_source ON topics (id) WHERE source IS NULL;
`;

export const SQLITE_MIGRATIONS_TABLE =
  'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)';

export const SQLITE_MIGRATIONS: readonly string[] = [
  `
CREATE TABLE topics (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  url TEXT,
  category TEXT,
  label TEXT,
  summary TEXT,
  author TEXT,
  created_at TEXT NOT NULL,
  body TEXT NOT NULL,
  text TEXT NOT NULL,
  sources TEXT NOT NULL,
  locked INTEGER NOT NULL DEFAULT 0,
  reply_count INTEGER NOT NULL DEFAULT 0,
  latest_reply_id TEXT,
  updated_at TEXT NOT NULL,
  ${COUNTERS}
);
CREATE TABLE replies (
${REPLY_PLACE}
  created_at TEXT NOT NULL,
  edited_at TEXT,
  body TEXT NOT NULL,
  text TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'published',
  ${COUNTERS}
);
${PAGE_INDEXES}
CREATE TABLE reactions (
  target_type TEXT NOT NULL CHECK (target_type IN ('topic', 'reply')),
  target_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  reader_hash BLOB NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (target_type, target_id, kind, reader_hash)
) WITHOUT ROWID;
`,
  // 2: identity (edit tokens, reader keys, signed-in authors), moderation and bans.
  `
ALTER TABLE replies ADD COLUMN edit_token_hash BLOB;
ALTER TABLE replies ADD COLUMN reader_hash BLOB;
ALTER TABLE replies ADD COLUMN author_sub TEXT;
CREATE INDEX replies_pending ON replies (created_at, id) WHERE status = 'pending';
CREATE INDEX replies_reader ON replies (reader_hash) WHERE reader_hash IS NOT NULL;
CREATE INDEX replies_author_sub ON replies (author_sub) WHERE author_sub IS NOT NULL;
-- latest_reply_id is recomputed from this when a reply leaves or joins the published ones.
CREATE INDEX replies_published ON replies (topic_id, created_at, id) WHERE status = 'published';
-- Names signed-in users have posted under, so no anonymous reply can pose as them.
CREATE TABLE verified_names (
  name_key TEXT PRIMARY KEY,
  sub TEXT NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE bans (
  kind TEXT NOT NULL CHECK (kind IN ('reader', 'address')),
  value TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (kind, value)
) WITHOUT ROWID;
`,
  // 3: live updates and HTTP caching. AUTOINCREMENT so an id is never reused, even after the
  // newest events are pruned; writes are serialized, so ids increase in commit order.
  `
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  topic_id TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX events_topic ON events (topic_id, id);
CREATE INDEX events_created ON events (created_at);
ALTER TABLE topics ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
`,
  // 4: notifications. The outbox takes one row per notable write, in that write's transaction;
  // the dispatcher turns each into deliveries (one per webhook subscription or mailbox), whose
  // attempts are the delivery log. Author addresses live apart from replies, so that no reply
  // read can ever select them.
  `
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  reply_id TEXT NOT NULL,
  topic_id TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX outbox_created ON outbox (created_at);
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secret TEXT NOT NULL,
  description TEXT,
  created_at TEXT NOT NULL,
  disabled_at TEXT,
  deleted_at TEXT
);
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('webhook', 'email')),
  event TEXT NOT NULL,
  reply_id TEXT NOT NULL,
  topic_id TEXT NOT NULL,
  event_at TEXT NOT NULL,
  webhook_id TEXT REFERENCES webhooks(id),
  recipient_kind TEXT CHECK (recipient_kind IN ('moderator', 'author')),
  recipient TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'skipped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  lease_until TEXT,
  lease_token TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_webhook ON deliveries (webhook_id, id);
CREATE INDEX deliveries_recipient ON deliveries (recipient, created_at) WHERE recipient IS NOT NULL;
CREATE INDEX deliveries_created ON deliveries (created_at);
CREATE TABLE delivery_attempts (
  delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  at TEXT NOT NULL,
  status INTEGER,
  error TEXT,
  PRIMARY KEY (delivery_id, attempt)
) WITHOUT ROWID;
CREATE TABLE author_emails (
  reply_id TEXT PRIMARY KEY REFERENCES replies(id) ON DELETE CASCADE,
  email TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE email_opt_outs (
  email_hash BLOB PRIMARY KEY,
  created_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE spent_links (
  nonce TEXT PRIMARY KEY,
  expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE notification_keys (
  name TEXT PRIMARY KEY,
  key BLOB NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID;
-- The site's feed: the newest published replies of all topics, and the newest topic change.
CREATE INDEX replies_recent_published ON replies (created_at, id) WHERE status = 'published';
CREATE INDEX topics_updated ON topics (updated_at);
`,
  // 5: the moderation console. Replies keep the network they came from and their readers'
  // reports; bans may expire; named moderators sign in for sessions; every moderator's action
  // is logged. Full-text search of replies is an FTS5 index over their text, kept by triggers.
  `
ALTER TABLE replies ADD COLUMN client_prefix TEXT;
ALTER TABLE replies ADD COLUMN report_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX replies_recent ON replies (created_at, id);
CREATE INDEX replies_reported ON replies (created_at, id) WHERE report_count > 0;
CREATE INDEX replies_client_prefix ON replies (client_prefix, created_at) WHERE client_prefix IS NOT NULL;
CREATE INDEX replies_reader_recent ON replies (reader_hash, created_at) WHERE reader_hash IS NOT NULL;
CREATE TABLE reports (
  reply_id TEXT NOT NULL REFERENCES replies(id) ON DELETE CASCADE,
  reporter TEXT NOT NULL,
  reason TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (reply_id, reporter)
) WITHOUT ROWID;
ALTER TABLE bans ADD COLUMN expires_at TEXT;
ALTER TABLE bans ADD COLUMN created_by TEXT;
ALTER TABLE bans ADD COLUMN reason TEXT;
CREATE TABLE moderators (
  name TEXT PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE moderator_sessions (
  id_hash BLOB PRIMARY KEY,
  moderator TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'moderator')),
  csrf_token TEXT NOT NULL,
  started_at TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX moderator_sessions_expires ON moderator_sessions (expires_at);
CREATE TABLE moderation_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  moderator TEXT NOT NULL,
  action TEXT NOT NULL,
  reply_id TEXT,
  topic_id TEXT,
  target TEXT,
  detail TEXT
);
CREATE INDEX moderation_log_reply ON moderation_log (reply_id, id) WHERE reply_id IS NOT NULL;
CREATE VIRTUAL TABLE replies_fts USING fts5(text, content='replies', content_rowid='rowid');
INSERT INTO replies_fts(replies_fts) VALUES ('rebuild');
CREATE TRIGGER replies_fts_insert AFTER INSERT ON replies BEGIN
  INSERT INTO replies_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER replies_fts_delete AFTER DELETE ON replies BEGIN
  INSERT INTO replies_fts(replies_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER replies_fts_update AFTER UPDATE OF text ON replies BEGIN
  INSERT INTO replies_fts(replies_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
  INSERT INTO replies_fts(rowid, text) VALUES (new.rowid, new.text);
END;
`,
  // 6: the event log says only what readers may read now. Each reply event names its reply, so
  // that a change of the reply rewrites the reply's earlier events to its public view of now; the
  // events already kept take their reply's newest one (every change appends one). A topic keeps
  // the id up to which its events were pruned, so that a client resuming from before it is told
  // to reload; for the events already kept, the oldest one's predecessor stands for it.
  `
ALTER TABLE events ADD COLUMN reply_id TEXT;
UPDATE events SET reply_id = json_extract(data, '$.id') WHERE type IN ('reply-created', 'reply-changed');
CREATE INDEX events_reply ON events (reply_id) WHERE reply_id IS NOT NULL;
UPDATE events SET data = (
  SELECT newest.data FROM events AS newest WHERE newest.reply_id = events.reply_id ORDER BY newest.id DESC LIMIT 1
) WHERE reply_id IS NOT NULL;
ALTER TABLE topics ADD COLUMN events_pruned_through INTEGER NOT NULL DEFAULT 0;
UPDATE topics SET events_pruned_through = (SELECT min(id) - 1 FROM events WHERE events.topic_id = topics.id)
WHERE EXISTS (SELECT 1 FROM events WHERE events.topic_id = topics.id);
`,
  // 7: rate-limit windows kept in the database, so that every server on it counts alike (the
  // servers use them on PostgreSQL; one SQLite server counts in memory). One row per limit and
  // key (a network, a topic): the start of its current window, in ms since the epoch, and the
  // hits counted in it.
  `
CREATE TABLE rate_windows (
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (name, key)
) WITHOUT ROWID;
CREATE INDEX rate_windows_start ON rate_windows (window_start);
`,
  // 8: imports. Each imported thread and comment by its source system and its id there, so that
  // importing the same file again finds what is already in and changes nothing. The rows go
  // with their topic or reply.
  `
CREATE TABLE import_topics (
  source TEXT NOT NULL,
  source_id TEXT NOT NULL,
  topic_id TEXT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
  PRIMARY KEY (source, source_id)
) WITHOUT ROWID;
CREATE INDEX import_topics_topic ON import_topics (topic_id);
CREATE TABLE import_replies (
  source TEXT NOT NULL,
  source_id TEXT NOT NULL,
  reply_id TEXT NOT NULL REFERENCES replies(id) ON DELETE CASCADE,
  PRIMARY KEY (source, source_id)
) WITHOUT ROWID;
CREATE INDEX import_replies_reply ON import_replies (reply_id);
`,
  // 9: bodies keep their Markdown source next to their tree, so that an author edits what they
  // wrote and every body can be rendered again by a newer renderer (see BODY_SOURCES).
  BODY_SOURCES,
  // 10: a cut thread's rest is counted from the thread index alone. The visibility columns came
  // with later ALTERs, so SQLite stores them after the body: reading them from the table walks a
  // long body's overflow pages, which made counting 5,000 replies of dense trees cost hundreds of
  // milliseconds. The old thread index is a prefix of the new one, so it goes.
  `
CREATE INDEX replies_thread_visible ON replies (root_id, created_at, id, status, reader_hash);
DROP INDEX replies_thread;
`,
  // 11: a page of top-level replies most reacted first is a range of this index (see
  // TOP_REACTED), as oldest and newest first are of replies_top_level.
  TOP_REACTED,
];

export const POSTGRES_MIGRATIONS_TABLE =
  'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())';

/**
 * The same model in PostgreSQL's own types. Counters are INTEGER so that the driver hands them
 * back as numbers (BIGINT comes back as a string).
 *
 * topics.created_at stays TEXT: it is whatever ISO instant the admin API was given
 * ("2026-04-21T16:20:34Z"), and it must come back verbatim, as it does from SQLite. Reply times
 * are TIMESTAMPTZ: the server makes them (milliseconds, as Date#toISOString writes them), they
 * round-trip exactly and they order and compare as instants.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
CREATE TABLE topics (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  url TEXT,
  category JSONB,
  label TEXT,
  summary TEXT,
  author JSONB,
  created_at TEXT NOT NULL,
  body JSONB NOT NULL,
  text TEXT NOT NULL,
  sources JSONB NOT NULL,
  locked BOOLEAN NOT NULL DEFAULT false,
  reply_count INTEGER NOT NULL DEFAULT 0,
  latest_reply_id TEXT,
  updated_at TIMESTAMPTZ NOT NULL,
  ${COUNTERS}
);
CREATE TABLE replies (
${REPLY_PLACE}
  created_at TIMESTAMPTZ NOT NULL,
  edited_at TIMESTAMPTZ,
  body JSONB NOT NULL,
  text TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'pending', 'hidden', 'deleted')),
  edit_token_hash BYTEA,
  reader_hash BYTEA,
  author_sub TEXT,
  ${COUNTERS}
);
${PAGE_INDEXES}
CREATE INDEX replies_pending ON replies (created_at, id) WHERE status = 'pending';
CREATE INDEX replies_reader ON replies (reader_hash) WHERE reader_hash IS NOT NULL;
CREATE INDEX replies_author_sub ON replies (author_sub) WHERE author_sub IS NOT NULL;
-- latest_reply_id is recomputed from this when a reply leaves or joins the published ones.
CREATE INDEX replies_published ON replies (topic_id, created_at, id) WHERE status = 'published';
CREATE TABLE reactions (
  target_type TEXT NOT NULL CHECK (target_type IN ('topic', 'reply')),
  target_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  reader_hash BYTEA NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (target_type, target_id, kind, reader_hash)
);
-- Names signed-in users have posted under, so no anonymous reply can pose as them.
CREATE TABLE verified_names (
  name_key TEXT PRIMARY KEY,
  sub TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE bans (
  kind TEXT NOT NULL CHECK (kind IN ('reader', 'address')),
  value TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (kind, value)
);
`,
  // 2: live updates. A topic's version is bumped by every write that changes a read of it;
  // events are what a live reader needs to catch up, in commit order (see PostgresStore).
  `
ALTER TABLE topics ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
CREATE TABLE events (
  id BIGSERIAL PRIMARY KEY,
  topic_id TEXT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
  type TEXT NOT NULL CHECK (type IN ('reply-created', 'reply-changed', 'reactions', 'counts')),
  data JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX events_topic ON events (topic_id, id);
`,
  // 3: notifications (see SQLite's 4).
  `
CREATE TABLE outbox (
  id BIGSERIAL PRIMARY KEY,
  type TEXT NOT NULL,
  reply_id TEXT NOT NULL,
  topic_id TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX outbox_created ON outbox (created_at);
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  events JSONB NOT NULL,
  secret TEXT NOT NULL,
  description TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  disabled_at TIMESTAMPTZ,
  deleted_at TIMESTAMPTZ
);
CREATE TABLE deliveries (
  id BIGSERIAL PRIMARY KEY,
  message_id TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('webhook', 'email')),
  event TEXT NOT NULL,
  reply_id TEXT NOT NULL,
  topic_id TEXT NOT NULL,
  event_at TIMESTAMPTZ NOT NULL,
  webhook_id TEXT REFERENCES webhooks(id),
  recipient_kind TEXT CHECK (recipient_kind IN ('moderator', 'author')),
  recipient TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'skipped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ,
  lease_until TIMESTAMPTZ,
  lease_token TEXT,
  last_error TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_webhook ON deliveries (webhook_id, id);
CREATE INDEX deliveries_recipient ON deliveries (recipient, created_at) WHERE recipient IS NOT NULL;
CREATE INDEX deliveries_created ON deliveries (created_at);
CREATE TABLE delivery_attempts (
  delivery_id BIGINT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  status INTEGER,
  error TEXT,
  PRIMARY KEY (delivery_id, attempt)
);
CREATE TABLE author_emails (
  reply_id TEXT PRIMARY KEY REFERENCES replies(id) ON DELETE CASCADE,
  email TEXT NOT NULL
);
CREATE TABLE email_opt_outs (
  email_hash BYTEA PRIMARY KEY,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE spent_links (
  nonce TEXT PRIMARY KEY,
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE notification_keys (
  name TEXT PRIMARY KEY,
  key BYTEA NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX replies_recent_published ON replies (created_at, id) WHERE status = 'published';
CREATE INDEX topics_updated ON topics (updated_at);
`,
  // 4: the moderation console (see SQLite's 5). Full-text search is a GIN index over the
  // 'simple' configuration's tsvector of the text: words as written, in any language.
  `
ALTER TABLE replies ADD COLUMN client_prefix TEXT;
ALTER TABLE replies ADD COLUMN report_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX replies_recent ON replies (created_at, id);
CREATE INDEX replies_reported ON replies (created_at, id) WHERE report_count > 0;
CREATE INDEX replies_client_prefix ON replies (client_prefix, created_at) WHERE client_prefix IS NOT NULL;
CREATE INDEX replies_reader_recent ON replies (reader_hash, created_at) WHERE reader_hash IS NOT NULL;
CREATE INDEX replies_text_search ON replies USING GIN (to_tsvector('simple', text));
CREATE TABLE reports (
  reply_id TEXT NOT NULL REFERENCES replies(id) ON DELETE CASCADE,
  reporter TEXT NOT NULL,
  reason TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (reply_id, reporter)
);
ALTER TABLE bans ADD COLUMN expires_at TIMESTAMPTZ;
ALTER TABLE bans ADD COLUMN created_by TEXT;
ALTER TABLE bans ADD COLUMN reason TEXT;
CREATE TABLE moderators (
  name TEXT PRIMARY KEY,
  token_hash BYTEA NOT NULL UNIQUE,
  created_at TIMESTAMPTZ NOT NULL,
  created_by TEXT NOT NULL
);
CREATE TABLE moderator_sessions (
  id_hash BYTEA PRIMARY KEY,
  moderator TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'moderator')),
  csrf_token TEXT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  issued_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX moderator_sessions_expires ON moderator_sessions (expires_at);
CREATE TABLE moderation_log (
  id BIGSERIAL PRIMARY KEY,
  at TIMESTAMPTZ NOT NULL,
  moderator TEXT NOT NULL,
  action TEXT NOT NULL,
  reply_id TEXT,
  topic_id TEXT,
  target TEXT,
  detail TEXT
);
CREATE INDEX moderation_log_reply ON moderation_log (reply_id, id) WHERE reply_id IS NOT NULL;
`,
  // 5: the event log says only what readers may read now (see SQLite's 6).
  `
ALTER TABLE events ADD COLUMN reply_id TEXT;
UPDATE events SET reply_id = data->>'id' WHERE type IN ('reply-created', 'reply-changed');
CREATE INDEX events_reply ON events (reply_id) WHERE reply_id IS NOT NULL;
UPDATE events SET data = newest.data
FROM (
  SELECT DISTINCT ON (reply_id) reply_id, data FROM events WHERE reply_id IS NOT NULL ORDER BY reply_id, id DESC
) AS newest
WHERE events.reply_id = newest.reply_id AND events.data <> newest.data;
ALTER TABLE topics ADD COLUMN events_pruned_through BIGINT NOT NULL DEFAULT 0;
UPDATE topics SET events_pruned_through = oldest.id - 1
FROM (SELECT topic_id, min(id) AS id FROM events GROUP BY topic_id) AS oldest
WHERE topics.id = oldest.topic_id;
`,
  // 6: rate-limit windows shared by all servers on the database (see SQLite's 7).
  `
CREATE TABLE rate_windows (
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (name, key)
);
CREATE INDEX rate_windows_start ON rate_windows (window_start);
`,
  // 7: imports: the source ids of imported threads and comments (see SQLite's 8).
  `
CREATE TABLE import_topics (
  source TEXT NOT NULL,
  source_id TEXT NOT NULL,
  topic_id TEXT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
  PRIMARY KEY (source, source_id)
);
CREATE INDEX import_topics_topic ON import_topics (topic_id);
CREATE TABLE import_replies (
  source TEXT NOT NULL,
  source_id TEXT NOT NULL,
  reply_id TEXT NOT NULL REFERENCES replies(id) ON DELETE CASCADE,
  PRIMARY KEY (source, source_id)
);
CREATE INDEX import_replies_reply ON import_replies (reply_id);
`,
  // 8: the Markdown source of every body (see SQLite's 9).
  BODY_SOURCES,
  // 9: a cut thread's rest is counted from the thread index alone (see SQLite's 10): an
  // index-only scan, where the table's rows would be fetched for their visibility columns.
  `
CREATE INDEX replies_thread_visible ON replies (root_id, created_at, id, status, reader_hash);
DROP INDEX replies_thread;
`,
  // 10: top-level replies most reacted first (see SQLite's 11).
  TOP_REACTED,
];

/**
 * The migrations a database at version `applied` still needs, with their version numbers.
 * Throws for a database newer than this server: it would misread what it does not know.
 */
export function pendingMigrations(
  migrations: readonly string[],
  applied: number,
): Array<[version: number, sql: string]> {
  if (applied > migrations.length) {
    throw new Error(
      `The database schema (version ${applied}) is newer than this server knows (${migrations.length}).`,
    );
  }
  return migrations.flatMap((sql, index) =>
    index + 1 > applied ? [[index + 1, sql] as [number, string]] : [],
  );
}
