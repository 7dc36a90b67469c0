import type { Reply } from '@colloquy/api';
import { readJson, writeJson } from './storage.js';
import type { TopicStore } from './topic-store.js';

/**
 * The reader's own writes to a topic, kept in localStorage until a read that includes them
 * arrives, so that a reload served from a shared cache (a CDN, nginx) with an older copy of
 * the topic still shows them, in their place. A topic keeps at most {@link KEEP}, for at most
 * {@link KEEP_FOR}: far longer than a cache may serve a copy (the server's reads are fresh for
 * 5 s and may be served stale for 60 s more while revalidated).
 */
const KEEP = 20;
const KEEP_FOR = 10 * 60_000;

interface OwnWrite {
  /** The reply as the server accepted it. */
  reply: Reply;
  /** When it was accepted, in ms since the epoch. */
  at: number;
}

/** The writes still kept under `key`. */
function kept(key: string): OwnWrite[] {
  const now = Date.now();
  return (readJson<OwnWrite[]>(key) ?? []).filter((write) => write.at <= now && write.at + KEEP_FOR > now);
}

/** Keeps `reply` (new, edited or deleted, as the server answered) until a read includes it. */
export function rememberOwnWrite(key: string, reply: Reply): void {
  const writes = kept(key).filter((write) => write.reply.id !== reply.id);
  writeJson(key, [...writes, { reply, at: Date.now() }].slice(-KEEP));
}

/** A reply's version: its last edit, else its creation (ISO 8601 instants compare as text). */
const version = (reply: Reply) => reply.editedAt ?? reply.createdAt;

/**
 * Whether `reply` has its place among `replies` (thread order): its parent is there, or it
 * replies to the topic and `complete` says the replies run to the topic's last one.
 */
export const hasPlace = (replies: readonly Reply[], reply: Reply, complete: boolean): boolean =>
  reply.parentId === null ? complete : replies.some((r) => r.id === reply.parentId);

/**
 * Merges into `store`'s replies (a read of the topic; `complete` as in {@link hasPlace}) the
 * reader's own writes it lacks: an older version of a reply is replaced, a reply it does not
 * have is put in its place. Writes the read includes are forgotten.
 */
export function mergeOwnWrites(store: TopicStore, complete: boolean): void {
  const waiting = kept(store.ownKey).filter(({ reply }) => {
    const read = store.replies.find((r) => r.id === reply.id);
    if (read && version(read) >= version(reply)) return false;
    if (read) store.replace(reply.id, reply);
    else if (hasPlace(store.replies, reply, complete)) store.insert(reply);
    return true;
  });
  writeJson(store.ownKey, waiting.length ? waiting : null);
}
