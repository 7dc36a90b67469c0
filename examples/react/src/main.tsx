// React 19 renders custom elements as they are: the elements are registered, typed in JSX by
// @colloquy/widget/types/react (see tsconfig.app.json), and their events are `on` + the event's name.
import '@colloquy/widget/define.js';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { ColloquyReplyPostedEvent } from '@colloquy/widget';
import { api, topic } from './api.ts';

function App() {
  const [status, setStatus] = useState('');
  const posted = (event: ColloquyReplyPostedEvent) =>
    setStatus(`Thanks, ${event.detail.author.name}: your reply is posted.`);
  return (
    <main>
      <topic-card topic={topic} api={api} heading-level="1" />
      <source-list topic={topic} api={api} />
      <reply-thread topic={topic} api={api} theme="light" oncolloquy-reply-posted={posted} />
      <p role="status">{status}</p>
    </main>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element to mount the app in.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
