import type { ReactiveElement } from 'lit';
import { READER_HEADER, type ReactionKind, type ReactionState, type Reactions } from '@colloquy/api';
import { request } from '../api/client.js';
import { reactionsUrl, readerKey } from '../api/requests.js';
import { ColloquyReactionEvent } from '../events/reaction.js';
import type { ReactionTarget, TopicStore } from './topic-store.js';

/**
 * Toggling a reaction: a module of its own, loaded on the reader's first click of a reaction
 * button, so that showing a topic does not wait for it. See {@link TopicStore.react}.
 */
export async function react(
  store: TopicStore,
  target: ReactionTarget,
  kind: ReactionKind,
): Promise<ReactionState> {
  const apply = (on: boolean, reactions?: Reactions) => {
    const was = store.isActive(target, kind);
    store.activate(target, kind, on);
    const counts = (old: Reactions) =>
      reactions ?? { ...old, [kind]: Math.max(0, old[kind] + (on === was ? 0 : on ? 1 : -1)) };
    if (target === null) {
      if (store.topic) store.topic = { ...store.topic, reactions: counts(store.topic.reactions) };
    } else {
      store.replies = store.replies.map((r) =>
        r.id === target ? { ...r, reactions: counts(r.reactions) } : r,
      );
    }
    store.notify();
  };
  const on = !store.isActive(target, kind);
  apply(on);
  try {
    const state = await request<ReactionState>(reactionsUrl(store.api, store.topicId, target), {
      method: 'POST',
      body: { kind },
      headers: { [READER_HEADER]: readerKey() },
    });
    apply(state.active, state.reactions);
    return state;
  } catch (error) {
    apply(!on);
    throw error;
  }
}

/**
 * The reader toggled a reaction in `element`: the store changes, and once the server has
 * confirmed, `colloquy-reaction` is fired from the element after it has rendered.
 */
export async function toggle(
  element: ReactiveElement,
  store: TopicStore,
  replyId: ReactionTarget,
  kind: ReactionKind,
): Promise<void> {
  const state = await react(store, replyId, kind);
  await element.updateComplete;
  element.dispatchEvent(new ColloquyReactionEvent({ topicId: store.topicId, replyId, ...state }));
}
