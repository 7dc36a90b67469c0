import { PROOF_HEADER, READER_HEADER, type CreatedReply, type NewReply, type Reply } from '@colloquy/api';
import { type ColloquyError, request } from '../api/client.js';
import { readerKey, repliesUrl } from '../api/requests.js';
import { EDIT_TOKENS_KEY, editTokens } from './edit-tokens.js';
import { proofOfWork, type ProofOfWork } from './proof-of-work.js';
import { rememberOwnWrite } from './own-writes.js';
import { writeJson } from './storage.js';
import { LOCAL, type TopicStore } from './topic-store.js';

/**
 * Posting a reply, with the proof of work the server may ask for: a module of its own, loaded
 * by the store when the reader starts writing, since most readers of a topic never post.
 */

/** The proof of work for each store's next reply, solved in the background. */
const solvers = new WeakMap<TopicStore, ProofOfWork>();
let localId = 0;

function solver(store: TopicStore): ProofOfWork {
  let proofs = solvers.get(store);
  if (!proofs) solvers.set(store, (proofs = proofOfWork(store.api)));
  return proofs;
}

/** At most this many edit tokens are kept (the newest); one whose window is over is dropped. */
const KEEP_TOKENS = 50;

/** Keeps the edit token of reply `id` on the server at `api` until `until` (ISO 8601). */
function keepEditToken(api: string, id: string, token: string, until: string) {
  const tokens = editTokens();
  const now = Date.now();
  tokens[`${api} ${id}`] = [token, Date.parse(until)];
  const keys = Object.keys(tokens);
  keys.forEach((key, i) => {
    const kept = tokens[key];
    if (!kept || kept[1] <= now || i < keys.length - KEEP_TOKENS) delete tokens[key];
  });
  writeJson(EDIT_TOKENS_KEY, tokens);
}

/** See {@link TopicStore.prepare}. */
export const prepare = (store: TopicStore): Promise<string> => solver(store).prepare();

/** See {@link TopicStore.postReply}. */
export async function postReply(store: TopicStore, input: NewReply, token?: string): Promise<Reply> {
  const parent = store.replies.find((r) => r.id === input.parentId);
  const total = store.total;
  // Only what the thread renders; the server's reply replaces it.
  const local = {
    id: LOCAL + ++localId,
    parentId: parent?.id ?? null,
    depth: parent ? parent.depth + 1 : 0,
    author: { name: input.authorName ?? '' },
    createdAt: new Date().toISOString(),
    body: [{ t: 'p', c: [{ t: 'text', v: input.body }] }],
    reactions: { like: 0, insightful: 0, disagree: 0 },
  } as Reply;
  store.insert(local);
  store.notify();
  const proofs = solver(store);
  const send = async (retry: boolean): Promise<CreatedReply> => {
    const proof = await proofs.prepare();
    if (proof) proofs.spend(); // a challenge is good for one reply
    const headers: Record<string, string> = { [READER_HEADER]: readerKey() };
    if (proof) headers[PROOF_HEADER] = proof;
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      return await request<CreatedReply>(repliesUrl(store.api, store.topicId), {
        method: 'POST',
        body: input,
        headers,
      });
    } catch (error) {
      // The server started asking for a proof, or the challenge expired or was spent: solve a
      // fresh one, once.
      const { status, type } = error as ColloquyError;
      if (!retry || !(status === 428 || type?.endsWith(':invalid-proof'))) throw error;
      proofs.spend();
      return send(false);
    }
  };
  try {
    // The edit token is kept apart, for the author's Edit and Delete; the reply goes without it.
    const { editToken, editableUntil, ...reply } = await send(true);
    keepEditToken(store.api, reply.id, editToken, editableUntil);
    store.replace(local.id, reply);
    store.unseen = store.unseen.filter((r) => r.id !== reply.id); // its event may have come first
    if (reply.status === 'pending') store.hold(reply);
    else rememberOwnWrite(store.ownKey, reply);
    // The stream's counts event may have brought the new total already; never count it twice.
    if (reply.status === 'published') store.total = Math.max(store.total, total + 1);
    store.notify();
    // A page topic is created by its first reply: read it back to show it whole.
    if (store.state === 'missing') void store.load();
    return reply;
  } catch (error) {
    store.replace(local.id);
    store.notify();
    throw error;
  }
}
