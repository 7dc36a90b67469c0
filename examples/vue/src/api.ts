/** The Colloquy server this page talks to, from its `<meta name="colloquy-api">`. */
export const api =
  document.querySelector<HTMLMetaElement>('meta[name="colloquy-api"]')?.content ?? 'http://localhost:8787';

export const topic = 'rsp-update';
