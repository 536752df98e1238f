// Meddelanden (clinician): the treatment's conversations, Nytt meddelande and Svara.
import { useId, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '../../api/schema';
import { ErrorText } from '../../components/ErrorText';
import { treatmentKeys, writable, type Treatment } from '../../lib/treatment';
import { dateTime } from '../../utils/format';
import { MessageForm } from './MessageForm';
import { messagesKeys } from './queries';

type Conversation = components['schemas']['Conversation'];

export function Messages({ t }: { t: Treatment }) {
  const qc = useQueryClient();
  const [composing, setComposing] = useState(false);
  const conversations = useQuery(messagesKeys.conversations(t.id));
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: messagesKeys.conversations(t.id).queryKey });
    void qc.invalidateQueries({ queryKey: treatmentKeys.flags(t.id) });
    void qc.invalidateQueries({ queryKey: treatmentKeys.detail(t.id).queryKey });
  };
  return (
    <div className="stack">
      <div className="page-head">
        <h2>Meddelanden</h2>
        {writable(t) && !composing && <button type="button" className="primary" onClick={() => setComposing(true)}>Nytt meddelande</button>}
      </div>
      {composing && <MessageForm t={t} onDone={() => { setComposing(false); refresh(); }} onCancel={() => setComposing(false)} />}
      {conversations.error && <ErrorText error={conversations.error} />}
      {conversations.data?.items.length === 0 && <p className="muted">Inga meddelanden än.</p>}
      {conversations.data?.items.map((c) => <Thread key={c.id} t={t} c={c} onReplied={refresh} />)}
    </div>
  );
}

function Thread({ t, c, onReplied }: { t: Treatment; c: Conversation; onReplied: () => void }) {
  const hid = useId();
  const [replying, setReplying] = useState(false);
  return (
    <article className="card thread" aria-labelledby={hid}>
      <h3 id={hid}>{c.subject}</h3>
      <ol className="messages">
        {c.messages.map((m) => (
          <li key={m.id} className={`message from-${m.author}`}>
            <p className="meta"><strong>{m.author === 'clinician' ? 'Behandlare' : 'Invånare'}</strong> <time dateTime={m.sentAt}>{dateTime(m.sentAt)}</time></p>
            <p className="text">{m.text}</p>
          </li>
        ))}
      </ol>
      {writable(t) && !replying && <button type="button" onClick={() => setReplying(true)}>Svara</button>}
      {replying && <MessageForm t={t} conversationId={c.id} onDone={() => { setReplying(false); onReplied(); }} onCancel={() => setReplying(false)} />}
    </article>
  );
}
