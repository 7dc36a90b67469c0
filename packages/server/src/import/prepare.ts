/**
 * A comment's body made ready for the store, as any reply's is: converted to Markdown source,
 * checked against the rules of a reply's body, rendered to the document tree. Runs on the
 * import's worker threads (convert-worker.ts) or, for small imports, on the main thread.
 */
import type { Doc } from '@colloquy/api';
import { newReply } from '@colloquy/api/schemas';
import { renderMarkdown } from '../markdown.js';
import { convertBody, type BodySource } from './body.js';

/**
 * `body`: the rendered tree as the JSON text the store keeps, made where it is rendered (on a
 * worker thread, in a large import): one string to hand to the main thread and bind, rather
 * than a tree to copy across threads and then serialize there. `source`: the Markdown as
 * converted, which the reply keeps as written.
 */
export type PreparedBody =
  | { ok: true; body: string; text: string; source: string }
  | { ok: false; reason: string };

const bodyRule = newReply.shape.body;

/** A body already converted to Markdown, or its source, to a rendered, checked body. */
export function prepareBody(input: string | BodySource): PreparedBody {
  const markdown = typeof input === 'string' ? input : convertBody(input);
  const checked = bodyRule.safeParse(markdown);
  if (!checked.success) {
    return {
      ok: false,
      reason:
        markdown.trim() === ''
          ? 'comment with an empty body'
          : `comment whose body breaks the rules of a reply (${checked.error.issues[0]?.message ?? 'invalid'})`,
    };
  }
  const { body, text } = renderMarkdown(checked.data);
  return { ok: true, body: JSON.stringify(body satisfies Doc), text, source: checked.data };
}
