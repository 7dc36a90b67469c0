import { expect } from '@open-wc/testing';
import './define.js';
import { defineElement } from './internal/define.js';
import { ReplyThread } from './reply-thread/reply-thread.js';
import { SourceList } from './source-list/source-list.js';
import { TopicCard } from './topic-card/topic-card.js';

describe('registration', () => {
  it('registers the three elements', () => {
    expect(customElements.get('topic-card')).to.equal(TopicCard);
    expect(customElements.get('source-list')).to.equal(SourceList);
    expect(customElements.get('reply-thread')).to.equal(ReplyThread);
  });

  it('warns instead of throwing when a tag is taken by another class', () => {
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      defineElement('topic-card', TopicCard); // the script loaded twice: silent
      expect(warnings).to.have.length(0);
      defineElement('topic-card', class extends HTMLElement {});
      expect(warnings).to.have.length(1);
    } finally {
      console.warn = warn;
    }
    expect(customElements.get('topic-card')).to.equal(TopicCard);
  });

  it('lets a page register the classes under other names', () => {
    class MyCard extends TopicCard {}
    defineElement('my-topic-card', MyCard);
    expect(document.createElement('my-topic-card')).to.be.instanceOf(TopicCard);
  });
});
