/**
 * A comment's body made ready for the store, as any reply's is: converted to Markdown source,
 * checked against the rules of a reply's body, rendered to the document tree. Runs on the
 * import's worker threads (convert-worker.ts) or, for small imports, on the main thread.
 */
import { type Doc, docText } from '@colloquy/api';
import { newReply } from '@colloquy/api/schemas';
import { renderMarkdown } from '../markdown.js';
import { type BodySource, convertBodyWithTree } from './body.js';

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
  const converted = typeof input === 'string' ? { markdown: input, body: null } : convertBodyWithTree(input);
  const markdown = converted.markdown;
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
  // The tree simple-html.ts built with the Markdown is the one rendering it gives; it stands in
  // only for exactly the Markdown checked.
  const { body, text } =
    converted.body !== null && checked.data === markdown
      ? { body: converted.body, text: docText(converted.body) }
      : renderMarkdown(checked.data);
  return { ok: true, body: JSON.stringify(body satisfies Doc), text, source: checked.data };
}
