// Correct use of the elements in Preact JSX: no errors.
import type { JSX } from 'preact';

export function Discussion(): JSX.Element {
  return (
    <reply-thread
      topic="rsp-update"
      theme="dark"
      heading-level="3"
      oncolloquy-reply-posted={(event) => console.log(event.detail.author.name)}
    />
  );
}
