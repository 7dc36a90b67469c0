import { isServer } from 'lit';
import { PAGE_DATA } from '../ssr/page-data.js';

/**
 * On a page with server-rendered elements, Lit's hydration support and the page's reads come
 * first (a separate module, which no other page loads); if it fails to load, the elements are
 * defined all the same and render on their own.
 */
let hydration: Promise<unknown> | false | null =
  !isServer && document.querySelector(PAGE_DATA) && import('../ssr/hydrate.js').catch(() => {});

/**
 * In the script-tag build, each element after the first is defined in a task of its own, so that
 * evaluating the script and upgrading and first-rendering the elements are not one long task on a
 * slow phone. The first, defined at once, starts the page's read; each element renders first in a
 * task after it connects (see ColloquyElement). (Imported as a module, from npm, the elements are
 * defined as the import runs and render as Lit's do.)
 */
export const staggered = !isServer && import.meta.url.endsWith('/widget.js');
let defined = 0;

/**
 * Registers `tag` for `element` unless it is taken: by the same class (the script loaded
 * twice), silently; by another class, with a warning. Never throws on a stranger's page.
 */
export function defineElement(tag: string, element: CustomElementConstructor): void {
  if (hydration)
    return void hydration.then(() => {
      hydration = false;
      defineElement(tag, element);
    });
  if (staggered && defined++) return void setTimeout(define, 0, tag, element);
  define(tag, element);
}

function define(tag: string, element: CustomElementConstructor) {
  const existing = customElements.get(tag);
  if (!existing) customElements.define(tag, element);
  else if (existing !== element) console.warn(`Colloquy: <${tag}> is taken by another element`);
}
