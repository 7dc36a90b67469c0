import type { Moderator } from '@colloquy/api';
import type { ModeratorStore, SessionRecord } from './moderation.js';
import type { Queries } from './queries.js';
import type { Executor, SqlConnection } from './sql-store.js';
import type { Actor } from './store.js';

/** A moderation log entry, inside the transaction of the action it records. */
export async function logAction(
  trx: Executor,
  q: Queries,
  by: Actor,
  action: string,
  about: { replyId?: string | null; topicId?: string | null; target?: string | null; detail?: string | null },
): Promise<void> {
  await trx.executeQuery(
    q.addLogEntry({
      at: new Date().toISOString(),
      moderator: by.moderator,
      action,
      reply_id: about.replyId ?? null,
      topic_id: about.topicId ?? null,
      target: about.target ?? null,
      detail: about.detail ?? null,
    }),
  );
}

/** Most moderators a site lists (the console shows them on one page). */
const MAX_MODERATORS = 500;

/** ModeratorStore over the store's connection and statements (see SqlStore.moderators). */
export class SqlModerators implements ModeratorStore {
  readonly #db: SqlConnection;
  readonly #q: Queries;

  constructor(db: SqlConnection, queries: Queries) {
    this.#db = db;
    this.#q = queries;
  }

  async add(name: string, tokenHash: Buffer, by: Actor): Promise<Moderator | null> {
    return this.#db.transaction('read write', async (trx) => {
      const row = await trx.takeFirst(
        this.#q.addModerator(name, tokenHash, by.moderator, new Date().toISOString()),
      );
      if (!row) return null;
      await logAction(trx, this.#q, by, 'moderator.add', { target: name });
      return { name: row.name, createdAt: row.created_at, createdBy: row.created_by };
    });
  }

  async list(): Promise<Moderator[]> {
    const { rows } = await this.#db.executeQuery(this.#q.moderators(MAX_MODERATORS));
    return rows.map((row) => ({ name: row.name, createdAt: row.created_at, createdBy: row.created_by }));
  }

  async remove(name: string, by: Actor): Promise<boolean> {
    return this.#db.transaction('read write', async (trx) => {
      if (!(await trx.takeFirst(this.#q.removeModerator(name)))) return false;
      await trx.executeQuery(this.#q.endSessionsOf(name));
      await logAction(trx, this.#q, by, 'moderator.remove', { target: name });
      return true;
    });
  }

  async byToken(tokenHash: Buffer): Promise<string | null> {
    return (await this.#db.takeFirst(this.#q.moderatorByToken(tokenHash)))?.name ?? null;
  }

  async startSession(session: SessionRecord): Promise<void> {
    await this.#db.transaction('read write', async (trx) => {
      await trx.executeQuery(this.#q.addSession(toRow(session)));
      await logAction(trx, this.#q, { moderator: session.moderator }, 'session.start', {});
    });
  }

  async session(idHash: Buffer, now: Date): Promise<SessionRecord | null> {
    const row = await this.#db.takeFirst(this.#q.session(idHash, now.toISOString()));
    return row ? fromRow(row) : null;
  }

  async rotateSession(
    oldHash: Buffer,
    newHash: Buffer,
    { now, expiresAt, oldUntil }: { now: Date; expiresAt: Date; oldUntil: Date },
  ): Promise<SessionRecord | null> {
    return this.#db.transaction('read write', async (trx) => {
      const row = await trx.takeFirst(this.#q.session(oldHash, now.toISOString()));
      if (!row) return null;
      const old = fromRow(row);
      const next: SessionRecord = {
        ...old,
        idHash: newHash,
        issuedAt: now.toISOString(),
        expiresAt: expiresAt.toISOString(),
      };
      await trx.executeQuery(this.#q.addSession(toRow(next)));
      if (new Date(old.expiresAt) > oldUntil)
        await trx.executeQuery(this.#q.setSessionExpiry(oldHash, oldUntil.toISOString()));
      return next;
    });
  }

  async extendSession(idHash: Buffer, expiresAt: Date): Promise<void> {
    await this.#db.executeQuery(this.#q.setSessionExpiry(idHash, expiresAt.toISOString()));
  }

  async endSession(idHash: Buffer, by?: Actor): Promise<void> {
    await this.#db.transaction('read write', async (trx) => {
      await trx.executeQuery(this.#q.endSession(idHash));
      if (by) await logAction(trx, this.#q, by, 'session.end', {});
    });
  }

  async pruneSessions(now: Date): Promise<number> {
    const result = await this.#db.executeQuery(this.#q.pruneSessions(now.toISOString()));
    return Number(result.numAffectedRows ?? 0);
  }

  async version(): Promise<string> {
    const row = await this.#db.takeFirst(this.#q.moderationVersion());
    return `${row?.newest_reply ?? ''}/${row?.newest_action ?? ''}/${row?.newest_report ?? ''}`;
  }
}

const toRow = (s: SessionRecord) => ({
  id_hash: s.idHash,
  moderator: s.moderator,
  role: s.role,
  csrf_token: s.csrfToken,
  started_at: s.startedAt,
  issued_at: s.issuedAt,
  expires_at: s.expiresAt,
});

const fromRow = (row: ReturnType<typeof toRow>): SessionRecord => ({
  idHash: row.id_hash,
  moderator: row.moderator,
  role: row.role,
  csrfToken: row.csrf_token,
  startedAt: row.started_at,
  issuedAt: row.issued_at,
  expiresAt: row.expires_at,
});
