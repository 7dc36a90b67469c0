// Mistakes the types must catch, one per line: a misspelt attribute (on the element and on the
// @lit/react component), a value the attribute does not take, and a handler for another event.
import type { ReactNode } from 'react';
import type { ColloquyErrorEvent } from '@colloquy/widget';
import { ReplyThread } from '@colloquy/react';

const onError = (event: ColloquyErrorEvent) => console.log(event.detail.message);

export function Discussion(): ReactNode {
  return (
    <>
      <reply-thread topc="rsp-update" />
      <ReplyThread topc="rsp-update" />
      <reply-thread theme="drak" />
      <reply-thread oncolloquy-reply-posted={onError} />
      <ReplyThread onColloquyReplyPosted={onError} />
    </>
  );
}
