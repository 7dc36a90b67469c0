// Mistakes the types must catch, one per line: a misspelt attribute, a value the attribute does
// not take, and a handler for another event.
import type { JSX } from 'preact';
import type { ColloquyErrorEvent } from '@colloquy/widget';

const onError = (event: ColloquyErrorEvent) => console.log(event.detail.message);

export function Discussion(): JSX.Element {
  return (
    <>
      <reply-thread topc="rsp-update" />
      <reply-thread theme="drak" />
      <reply-thread oncolloquy-reply-posted={onError} />
    </>
  );
}
