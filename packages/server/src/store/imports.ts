import type { Category, Doc, Reactions, ReplyStatus } from '@colloquy/api';

/**
 * Writing what another system exported (see import/): batches of topics and replies, each
 * batch one transaction, each item kept with its source system's id so that importing the same
 * file again finds it and changes nothing.
 */

/** A thread of the source: a page topic, keyed by the page's URL. */
export interface ImportedTopic {
  /** The source's id for the thread. */
  sourceId: string;
  /** The page's exact URL: the topic's id and URL. */
  url: string;
  title: string;
  /** The topic's creation time as the source gives it; null: now. */
  createdAt: string | null;
  locked: boolean;
  /**
   * A Colloquy export's topic, kept whole: its own id (rather than `url`) and every field, its
   * body already rendered from `source`. Absent for other formats' threads.
   */
  kept?: KeptTopic;
}

/** What a Colloquy export keeps of a topic. */
export interface KeptTopic {
  id: string;
  url: string | null;
  category: Category | null;
  label: string | null;
  summary: string | null;
  author: { name: string; avatarUrl: string | null } | null;
  body: Doc;
  text: string;
  source: string;
  sources: Array<{ title: string; url: string }>;
  reactions: Reactions;
}

/** A comment of the source, rendered and validated like any reply. */
export interface ImportedReply {
  sourceId: string;
  threadSourceId: string;
  /** The source id of the comment it answers; null for a top-level one. */
  parentSourceId: string | null;
  authorName: string;
  /** As Date#toISOString writes it. */
  createdAt: string;
  editedAt: string | null;
  /** The rendered document tree (a `Doc`) as the JSON text the store keeps. */
  body: string;
  text: string;
  /** The Markdown `body` was rendered from. */
  source: string;
  status: ReplyStatus;
  /** A Colloquy export's reply: its own id, reaction counts and signed-in author. */
  kept?: { id: string; reactions: Reactions; authorSub: string | null };
}

/**
 * What became of each reply of a batch: written now, already there from an earlier import, or
 * not written because its thread or its parent is not in the database (yet).
 */
export type ImportOutcome = 'imported' | 'present' | 'no-topic' | 'no-parent';

export interface ImportBatchResult {
  topics: { imported: number; present: number };
  /** One per reply of the batch, in its order. */
  replies: ImportOutcome[];
}

export interface ImportStore {
  /**
   * Writes a batch in one transaction: topics first (a topic whose URL is already a topic of
   * this site takes the imported replies as they are), then replies in the batch's order, so a
   * reply may answer one earlier in the same batch or already imported. Counts, latest replies
   * and versions of the topics that gained replies follow in the same transaction; no events and
   * no notifications are written (an import tells no one). `source` names the system the ids
   * are of (`disqus`, `wordpress`, …).
   */
  importBatch(
    source: string,
    batch: { topics: readonly ImportedTopic[]; replies: readonly ImportedReply[] },
  ): Promise<ImportBatchResult>;
}
