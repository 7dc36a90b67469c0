import { css } from 'lit';

export const styles = css`
  [part='heading'] { font-size: 1.1em; }
  [part='list'] { margin: 0; padding: 0; list-style: none; }
  [part='list'] [part='list'] { margin-inline-start: min(1.25rem, 4vw); padding-inline-start: min(0.75rem, 3vw); border-inline-start: 2px solid var(--colloquy-border); }
  article { margin-bottom: var(--colloquy-gap); }
  header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25em 0.6em; }
  [part~='body'] { margin: 0.25em 0 0.5em; }
  [part~='reply'][data-pending] > article { opacity: 0.7; }
  .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
  form { display: grid; gap: 0.75rem; margin-top: var(--colloquy-gap); }
  label { display: block; font-weight: 600; }
  input,textarea { display: block; width: 100%; min-height: 2.25rem; padding: 0.4rem 0.5rem; font: inherit; color: var(--colloquy-text); background: var(--colloquy-background); border: 1px solid var(--colloquy-border); border-radius: var(--colloquy-radius); }
  textarea { resize: vertical; }
  :user-invalid { border-color: var(--colloquy-danger); }
  [part='submit'] { justify-self: start; }
  [part='verified'] { color: var(--colloquy-accent); }
`;
