import { defineElement } from '../internal/define.js';
import { TopicCard } from './topic-card.js';

export { TopicCard };

defineElement('topic-card', TopicCard);

declare global {
  interface HTMLElementTagNameMap {
    'topic-card': TopicCard;
  }
}
