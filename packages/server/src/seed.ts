import { renderMarkdown } from './markdown.js';
import type { Store } from './store/store.js';

/** The demo topic: the community page this product grew from (see DESIGN.md). */
export const DEMO_TOPIC_ID = 'rsp-update';

export const DEMO_BODY = `Anthropic has announced updates to its Responsible Scaling Policy (RSP), aimed at improving risk management associated with advanced AI systems.

Anthropic has introduced an update to its Responsible Scaling Policy (RSP), a framework designed to mitigate potential catastrophic risks arising from the use of advanced AI systems. The innovation provides a more flexible approach to assessing and managing risks while maintaining the commitment not to train or deploy models without adequate precautions.

The updates include new thresholds, beyond which enhanced protective measures must be applied. The processes for assessing model capabilities and the adequacy of these measures have been refined, inspired by proven safety methodologies. This will allow Anthropic to respond more effectively to the rapid development of technologies by borrowing risk management methods from other industries.

The complexities and risks arising from the development of AI models require careful analysis and the implementation of effective precautions. Additionally, the company is working on standards for the use of models to prevent the spread of misinformation and other malicious actions. Improving engineering measures for compliance with safety norms is a priority.

The policy is based on the principle of proportional protection — precautionary measures are intensified as potential risks increase. Two main capability thresholds have been introduced: autonomous AI research and the creation of weapons of mass destruction, for which strict control measures are required.

For the effective implementation of the updated policy, regular assessments of model capabilities and verification of safety measures have been established, ensuring compliance with new standards. Internal oversight and the collection of external expert information should assist in evaluating methodologies, using the acquired experience to adapt to the challenges facing the industry.`;

/** Inserts the demo topic when the store has no topics at all; returns whether it did. */
export async function seedDemo(store: Store): Promise<boolean> {
  if ((await store.countTopics()) > 0) return false;
  const { body, text } = renderMarkdown(DEMO_BODY);
  await store.upsertTopic({
    id: DEMO_TOPIC_ID,
    title: 'Updated Responsible Scaling Policy: a step towards safe AI',
    url: null,
    category: { slug: 'anthropic', name: 'Anthropic', path: ['Community', 'Anthropic'] },
    label: 'Background',
    summary:
      'Anthropic has announced updates to its Responsible Scaling Policy (RSP) aimed at improving risk management associated with advanced AI systems.',
    author: { name: 'Natalya Tihonova', avatarUrl: null },
    createdAt: '2026-04-21T16:20:34Z',
    body,
    text,
    source: DEMO_BODY,
    sources: [
      {
        title: 'Anthropic News',
        url: 'https://www.anthropic.com/news/announcing-our-updated-responsible-scaling-policy',
      },
    ],
    locked: false,
  });
  return true;
}
