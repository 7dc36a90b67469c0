import { css } from 'lit';

export const styles = css`
  [part='list'] { margin: 0; padding-inline-start: 1.75em; }
  [part='source'] { margin-bottom: 0.35em; scroll-margin-top: 4rem; }
  [part='source'] a { display: inline-block; min-height: 24px; }
  [part='domain'] { margin-inline-start: 0.4em; }
  [part='heading'] { font-size: 1.1em; }
`;
