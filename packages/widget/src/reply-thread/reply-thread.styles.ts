import { css } from 'lit';

export const styles = css`
  :host { --colloquy-skeleton: 10rem; }
  [part='heading'] { font-size: 1.1em; }
  /* The order control (reader-controls.ts) floats at the end of the heading's line: when it comes, nothing moves. */
  [part='sort'] { float: inline-end; margin-inline-start: 1em; }
  [part='list'] { margin: 0; padding: 0; list-style: none; }
  [part='list'] [part='list'] { margin-inline-start: min(1.25rem, 4vw); padding-inline-start: min(0.75rem, 3vw); border-inline-start: 2px solid var(--colloquy-border); }
  article { margin-bottom: var(--colloquy-gap); }
  header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25em 0.6em; }
  [part~='body'] { margin: 0.25em 0 0.5em; }
  [part~='reply'][data-pending] > article { opacity: 0.7; }
  [part='form-placeholder'] { margin-top: var(--colloquy-gap); }
  .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
  [part='verified'] { color: var(--colloquy-accent); }
`;
