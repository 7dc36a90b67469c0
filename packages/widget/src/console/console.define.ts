import { defineElement } from '../internal/define.js';
import { SourceList } from '../source-list/source-list.js';
import { TopicCard } from '../topic-card/topic-card.js';
import { ColloquyConsole } from './console-app.js';

// The console previews topics with the readers' own elements.
defineElement('topic-card', TopicCard);
defineElement('source-list', SourceList);
defineElement('colloquy-console', ColloquyConsole);

declare global {
  interface HTMLElementTagNameMap {
    'colloquy-console': ColloquyConsole;
  }
}
