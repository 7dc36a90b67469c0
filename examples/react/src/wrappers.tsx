// The same page through @colloquy/react: React components made with @lit/react, which also work
// in React 18 (where custom elements get only string attributes and no event props).
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ReplyThread, SourceList, TopicCard } from '@colloquy/react';
import { api, topic } from './api.ts';

function App() {
  const [status, setStatus] = useState('');
  return (
    <main>
      <TopicCard topic={topic} api={api} headingLevel={1} />
      <SourceList topic={topic} api={api} />
      <ReplyThread
        topic={topic}
        api={api}
        theme="light"
        onColloquyReplyPosted={(event) =>
          setStatus(`Thanks, ${event.detail.author.name}: your reply is posted.`)
        }
      />
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
