import { adoptStyles, css, type CSSResult, type LitElement } from 'lit';

/** The look of the text fields, shared by the reply form and the editor of one's own reply. */
export const fieldStyles = css`
  input,textarea { display: block; width: 100%; min-height: 2.25rem; padding: 0.4rem 0.5rem; font: inherit; color: var(--colloquy-text); background: var(--colloquy-background); border: 1px solid var(--colloquy-border); border-radius: var(--colloquy-radius); }
  textarea { resize: vertical; }
  :user-invalid { border-color: var(--colloquy-danger); }
`;

/**
 * Adds `styles` to what `element`'s shadow root has adopted (the element's own styles, and
 * those another module added before), for a module that renders into the element's template.
 */
export function addStyles(element: LitElement, styles: CSSResult): void {
  const root = element.renderRoot;
  if (root instanceof ShadowRoot) adoptStyles(root, [...(root.adoptedStyleSheets ?? []), styles]);
}
