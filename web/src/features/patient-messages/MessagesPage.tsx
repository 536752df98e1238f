// Meddelanden: the patient's conversations with the clinician; a new message, a reply.
import { useEffect, useState } from 'react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '../../api/schema';
import { ErrorText } from '../../components/ErrorText';
import { ReadOnlyNotice } from '../../components/ReadOnlyNotice';
import { meKeys, type PatientTreatment } from '../../lib/me';
import { dateTime } from '../../utils/format';
import { NEW_MESSAGE_DRAFT, NewMessage, Reply, replyDraftKey } from './MessageForms';
import { readDraft } from '../../components/question-form/draft';
import { patientMessagesKeys } from './queries';

type Conversation = components['schemas']['PatientConversation'];

const hasDraft = (key: string) => readDraft(key, (v): v is object => typeof v === 'object' && v !== null) !== undefined;
/** The instant of a conversation's latest message, for ordering threads by it. */
const latest = (c: Conversation) => c.messages.reduce((max, m) => (m.sentAt > max ? m.sentAt : max), '');

function Thread({ conversation, readOnly, fresh, onSent }: { conversation: Conversation; readOnly: boolean; fresh: ReadonlySet<string>; onSent: (what: string) => void }) {
  // A reply being written (a draft kept through a reload) opens again where it was.
  const [replying, setReplying] = useState(() => !readOnly && hasDraft(replyDraftKey(conversation.id)));
  const headingId = `conversation-${conversation.id}`;
  return (
    <article className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{conversation.subject}</h2>
      <ol className="messages">
        {conversation.messages.map((m) => (
          <li key={m.id} className={`message from-${m.author}${fresh.has(m.id) ? ' unread' : ''}`}>
            <p className="meta">
              {m.author === 'clinician' ? 'Behandlare' : 'Du'}, <time dateTime={m.sentAt}>{dateTime(m.sentAt)}</time>
              {fresh.has(m.id) && <> <span className="badge unread">Nytt</span></>}
            </p>
            <p className="text">{m.text}</p>
          </li>
        ))}
      </ol>
      {!readOnly && (replying ? <Reply conversation={conversation} onDone={() => setReplying(false)} onSent={() => onSent('Ditt svar är skickat.')} /> : <button type="button" onClick={() => setReplying(true)}>Svara</button>)}
    </article>
  );
}

export function MessagesPage({ me }: { me: PatientTreatment }) {
  const queryClient = useQueryClient();
  const [writing, setWriting] = useState(() => !me.readOnly && hasDraft(NEW_MESSAGE_DRAFT));
  const [sentText, setSentText] = useState<string | null>(null);
  const list = useInfiniteQuery(patientMessagesKeys.conversations());
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages.at(-1)?.total ?? 0;
  // The read that shows a message marks it read, so the next refetch says it is not new: keep the
  // marks of every message that came unread while this page is open.
  const [fresh, setFresh] = useState<ReadonlySet<string>>(() => new Set());
  const unread = items.flatMap((c) => c.messages.filter((m) => m.unread).map((m) => m.id));
  if (unread.some((id) => !fresh.has(id))) setFresh(new Set([...fresh, ...unread]));
  // They are read now: the count beside Meddelanden in the menu follows.
  useEffect(() => {
    if (fresh.size > 0) void queryClient.invalidateQueries({ queryKey: meKeys.all, exact: true });
  }, [fresh, queryClient]);
  const freshCount = fresh.size;
  return (
    <>
      <h1>Meddelanden</h1>
      <ReadOnlyNotice me={me} />
      <p>Här skriver du till din behandlare. Svaret kommer hit; du kan få en avisering via SMS eller e-post (se Inställningar).</p>
      {!me.readOnly && !writing && <p><button type="button" className="primary" onClick={() => { setSentText(null); setWriting(true); }}>Nytt meddelande</button></p>}
      {writing && <NewMessage onDone={() => setWriting(false)} onSent={() => setSentText('Ditt meddelande är skickat.')} />}
      <p role="status" className="ok">{sentText}</p>
      {list.error && <ErrorText error={list.error} />}
      {list.data && items.length === 0 && <p>Inga meddelanden än.</p>}
      {freshCount > 0 && <p className="notice" role="status">{freshCount === 1 ? 'Ett nytt meddelande' : `${freshCount} nya meddelanden`} från din behandlare, markerade med <strong>Nytt</strong>. Nu är de lästa.</p>}
      <div className="stack">
        {[...items].sort((a, b) => latest(b).localeCompare(latest(a))).map((c) => <Thread key={c.id} conversation={c} readOnly={me.readOnly} fresh={fresh} onSent={setSentText} />)}
      </div>
      {list.hasNextPage && (
        <p>
          <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>Visa fler</button>{' '}
          <span className="muted">Visar {items.length} av {total} konversationer.</span>
        </p>
      )}
    </>
  );
}
