/**
 * Registers `tag` for `element` unless it is taken: by the same class (the script loaded
 * twice), silently; by another class, with a warning. Never throws on a stranger's page.
 */
export function defineElement(tag: string, element: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (!existing) customElements.define(tag, element);
  else if (existing !== element) console.warn(`Colloquy: <${tag}> is taken by another element`);
}
