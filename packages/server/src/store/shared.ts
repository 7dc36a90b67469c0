import { createHash } from 'node:crypto';
import { REACTION_KINDS, type ReactionKind, type Reactions, type Reply } from '@colloquy/api';

/** What SqliteStore and PostgresStore share: the same rules, written once. */

/** Events older than this are pruned, except each topic's newest (see Store.listEvents). */
export const EVENT_RETENTION_MS = 7 * 24 * 3600 * 1000;
/** Pruning runs from a write at most this often per store. */
export const PRUNE_EVERY_MS = 3600 * 1000;

/** One cached counter column per reaction kind, so reads never count reaction rows. */
export const countColumn = (kind: ReactionKind) => `${kind}_count`;
export const countColumns = REACTION_KINDS.map((kind) => `${countColumn(kind)} INTEGER NOT NULL DEFAULT 0`).join(
  ',\n  ',
);

/** The reaction counts of a topic or reply row, from its counter columns. */
export const reactionsOf = (row: object): Reactions =>
  Object.fromEntries(
    REACTION_KINDS.map((kind) => [kind, Number((row as Record<string, unknown>)[countColumn(kind)] ?? 0)]),
  ) as Reactions;

/** Reader keys are stored only as this digest. */
export const readerHash = (readerKey: string) => createHash('sha256').update(readerKey).digest();

export const sameHash = (a: Buffer | null, b: Buffer | null | undefined) => !!a && !!b && a.equals(b);

/** Depth-first, oldest first at each level; iterative because threads can be deep. */
export function threadOrder<Row extends { id: string; parent_id: string | null }>(rootIds: string[], rows: Row[]): Row[] {
  const children = new Map<string | null, Row[]>();
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const row of rows) {
    if (row.parent_id === null) continue;
    const siblings = children.get(row.parent_id) ?? [];
    siblings.push(row); // rows arrive in creation order, so siblings stay oldest first
    children.set(row.parent_id, siblings);
  }
  const ordered: Row[] = [];
  const stack = rootIds
    .map((id) => byId.get(id))
    .filter((row): row is Row => !!row)
    .reverse();
  while (stack.length > 0) {
    const row = stack.pop()!;
    ordered.push(row);
    const kids = children.get(row.id);
    if (kids) for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]!);
  }
  return ordered;
}

/** A reply as every reader but its author and moderators sees it: a pending one is blanked. */
export const publicView = (reply: Reply): Reply =>
  reply.status === 'pending' ? { ...reply, author: { name: '' }, body: [], text: '' } : reply;
