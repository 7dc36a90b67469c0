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
 * Registers `tag` for `element` unless it is taken: by the same class (the script loaded
 * twice), silently; by another class, with a warning. Never throws on a stranger's page.
 */
export function defineElement(tag: string, element: CustomElementConstructor): void {
  if (hydration)
    return void hydration.then(() => {
      hydration = false;
      defineElement(tag, element);
    });
  const existing = customElements.get(tag);
  if (!existing) customElements.define(tag, element);
  else if (existing !== element) console.warn(`Colloquy: <${tag}> is taken by another element`);
}
