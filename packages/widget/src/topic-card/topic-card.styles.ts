import { css } from 'lit';

export const styles = css`
  /* The loading skeleton of a card that is a page's article fills the screen: what follows it stays below. */
  :host { --colloquy-skeleton: 100vh; }
  :host([variant='compact']) { --colloquy-skeleton: 6rem; }
  [part='card'] { display: grid; gap: calc(var(--colloquy-gap) / 2); }
  [part='card'] > * { margin: 0; }
  [part='breadcrumb'] ol { display: flex; flex-wrap: wrap; gap: 0.4em; margin: 0; padding: 0; list-style: none; color: var(--colloquy-muted); font-size: 0.875em; }
  [part='breadcrumb'] li + li::before { content: '/' / ''; margin-inline-end: 0.4em; }
  [part='title'] { font-size: 1.5em; line-height: 1.25; }
  [part='label'] { font-weight: 600; color: var(--colloquy-muted); text-transform: uppercase; letter-spacing: 0.04em; font-size: 0.8em; }
  [part='summary'] { font-size: 1.05em; }
  [part='author'] { display: flex; align-items: center; gap: 0.6em; font-weight: 600; }
  :host([variant='compact']) [part='title'] { font-size: 1.1em; }
`;
