import { css } from 'lit';

/**
 * The theming contract shared by all elements: every knob is a `--colloquy-*` custom property
 * with its light default on `:host`, dark values for `theme="dark"`, and `theme="auto"` (or
 * none) following `prefers-color-scheme`.
 */
export const theme = css`
  :host {
    --colloquy-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --colloquy-font-size: 1rem;
    --colloquy-text: light-dark(#1a1a1a, #ececec);
    --colloquy-muted: light-dark(#5c5c5c, #b0b0b0);
    --colloquy-accent: light-dark(#0b57d0, #8ab4f8);
    --colloquy-on-accent: light-dark(#fff, #10131a);
    --colloquy-background: light-dark(#fff, #121212);
    --colloquy-surface: light-dark(#f3f4f6, #1f1f1f);
    --colloquy-border: light-dark(#c9ccd1, #4a4a4a);
    --colloquy-danger: light-dark(#b3261e, #f2b8b5);
    --colloquy-avatar-background: light-dark(#5b3cc4, #b9a6ff);
    --colloquy-avatar-text: light-dark(#fff, #10131a);
    --colloquy-pressed: light-dark(#dbe6fb, #22324d);
    --colloquy-radius: 0.5rem;
    --colloquy-gap: 1rem;
    color-scheme: light dark;
    display: flow-root;
    box-sizing: border-box;
    max-width: 100%;
    min-height: var(--colloquy-reserved, var(--colloquy-unrendered));
    color: var(--colloquy-text);
    background: var(--colloquy-background);
    font: var(--colloquy-font-size) / 1.5 var(--colloquy-font);
    overflow-wrap: anywhere;
  }
  :host([theme='light']) { color-scheme: light; }
  :host([theme='dark']) { color-scheme: dark; }
  :host([hidden]) { display: none; }
  * { box-sizing: inherit; }
  h2,p,ol,ul,.table { margin: 0 0 calc(var(--colloquy-gap) / 2); }
  a { color: var(--colloquy-accent); }
  :focus-visible { outline: 2px solid var(--colloquy-accent); outline-offset: 2px; }
  pre { overflow-x: auto; white-space: pre-wrap; }
  /* A table's width never widens what holds it (a grid or flex item would grow): it scrolls. */
  .table { overflow-x: auto; contain: inline-size; }
  table { border-collapse: collapse; }
  th,td { padding: 0.25em 0.5em; border: 1px solid var(--colloquy-border); overflow-wrap: normal; }
  blockquote { margin: 0 0 calc(var(--colloquy-gap) / 2); padding-inline-start: 0.75em; border-inline-start: 3px solid var(--colloquy-border); }
  .muted,time { color: var(--colloquy-muted); font-size: 0.875em; }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  button { font: inherit; min-height: 2rem; min-width: 2rem; padding: 0.25rem 0.75rem; color: var(--colloquy-text); background: var(--colloquy-surface); border: 1px solid var(--colloquy-border); border-radius: var(--colloquy-radius); cursor: pointer; }
  :disabled { opacity: 0.7; }
  .primary { color: var(--colloquy-on-accent); background: var(--colloquy-accent); border-color: var(--colloquy-accent); }
  .reactions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
  [aria-pressed='true'] { background: var(--colloquy-pressed); border-color: var(--colloquy-accent); }
  .icon { width: 1em; height: 1em; fill: currentColor; }
  /* Forced colours drop backgrounds: a pressed reaction keeps a thicker border in the system's highlight. */
  @media (forced-colors: active) { [aria-pressed='true'] { border: 2px solid Highlight; } }
  .avatar { display: inline-grid; place-items: center; flex: none; width: 2.25rem; height: 2.25rem; border-radius: 50%; object-fit: cover; font-weight: 600; color: var(--colloquy-avatar-text); background: var(--colloquy-avatar-background); }
  [role='alert'] { color: var(--colloquy-danger); }
  /* Until the read is in: the height remembered from the last visit, else the site's hint, else a skeleton. */
  [part='loading'] { margin: 0; min-height: var(--colloquy-reserved, var(--colloquy-loading-height, var(--colloquy-skeleton))); background: repeating-linear-gradient(var(--colloquy-surface) 0 1em, #0000 0 1.75em) 0 2.25em / 100% 100% no-repeat; }
`;
