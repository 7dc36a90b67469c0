// Correct use of the elements in React 19 JSX and of the @lit/react components: no errors.
import type { ReactNode } from 'react';
import { ReplyThread } from '@colloquy/react';

export function Discussion(): ReactNode {
  return (
    <>
      <reply-thread
        topic="rsp-update"
        theme="dark"
        heading-level="3"
        oncolloquy-reply-posted={(event) => console.log(event.detail.author.name)}
      />
      <ReplyThread topic="rsp-update" onColloquyReplyPosted={(event) => console.log(event.detail.id)} />
    </>
  );
}
