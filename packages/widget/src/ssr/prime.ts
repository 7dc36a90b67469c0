import type { TopicWithReplies } from '@colloquy/api';
import { forgetStore, topicStore } from '../store/topic-store.js';

/**
 * Gives the page-wide store of `topic` a read the page already has (see TopicStore.prime), so
 * its elements show it at once and read nothing. Returns the function that forgets the store
 * again, for a server that renders one page after another.
 */
export function primeStore(api: string, topic: string, read: TopicWithReplies): () => void {
  topicStore(api, topic).prime(read);
  return () => forgetStore(api, topic);
}
