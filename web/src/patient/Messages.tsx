// Meddelanden: the patient's conversations with the clinician; a new message, a reply.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, unwrap } from '../api/client';
import { dateTime } from '../format';
import { ErrorText, errorText } from '../pages/common';
import type { Conversation, PatientTreatment } from './api';
import { fieldWords } from './QuestionForm';
import { ReadOnlyNotice } from './Notice';

function TextField({ id, label, value, onChange, error, rows }: { id: string; label: string; value: string; onChange: (v: string) => void; error?: string; rows?: number }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {error && <span className="field-error" id={`${id}-error`}>{error}</span>}
      {rows
        ? <textarea id={id} rows={rows} value={value} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => onChange(e.target.value)} />
        : <input id={id} value={value} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => onChange(e.target.value)} />}
    </div>
  );
}

const fieldErrorOf = (err: unknown, field: string) => (err instanceof ApiError ? err.fieldError(field) : undefined);
const formErrorOf = (err: unknown) => (err instanceof ApiError && err.problem.errors?.length ? 'Rätta uppgifterna som är markerade.' : errorText(err));

function NewMessage({ onDone }: { onDone: () => void }) {
  const base = useId().replace(/:/g, '');
  const queryClient = useQueryClient();
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const send = useMutation({
    mutationFn: () => unwrap<Conversation>(api.POST('/api/me/treatment/conversations', { body: { subject, text, notify: false } })),
    onSuccess: async () => { await queryClient.invalidateQueries({ queryKey: ['me', 'conversations'] }); onDone(); },
  });
  const submit = (e: FormEvent) => { e.preventDefault(); send.mutate(); };
  const subjectError = fieldErrorOf(send.error, 'subject');
  const textError = fieldErrorOf(send.error, 'text');
  return (
    <form onSubmit={submit} noValidate className="card stack" aria-label="Nytt meddelande">
      <h2>Nytt meddelande</h2>
      {send.error && <p className="error" role="alert">{formErrorOf(send.error)}</p>}
      <TextField id={`${base}-subject`} label="Ämne" value={subject} onChange={setSubject} error={subjectError && fieldWords(subjectError)} />
      <TextField id={`${base}-text`} label="Meddelande" value={text} onChange={setText} rows={5} error={textError && fieldWords(textError)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={send.isPending}>Skicka</button>
        <button type="button" onClick={onDone}>Avbryt</button>
      </div>
    </form>
  );
}

function Reply({ conversation, onDone }: { conversation: Conversation; onDone: () => void }) {
  const base = useId().replace(/:/g, '');
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const send = useMutation({
    mutationFn: () => unwrap(api.POST('/api/me/treatment/conversations/{cid}/messages', { params: { path: { cid: conversation.id } }, body: { text, notify: false } })),
    onSuccess: async () => { await queryClient.invalidateQueries({ queryKey: ['me', 'conversations'] }); onDone(); },
  });
  const textError = fieldErrorOf(send.error, 'text');
  return (
    <form onSubmit={(e) => { e.preventDefault(); send.mutate(); }} noValidate className="stack" aria-label={`Svara: ${conversation.subject}`}>
      {send.error && <p className="error" role="alert">{formErrorOf(send.error)}</p>}
      <TextField id={`${base}-reply`} label="Svar" value={text} onChange={setText} rows={4} error={textError && fieldWords(textError)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={send.isPending}>Skicka</button>
        <button type="button" onClick={onDone}>Avbryt</button>
      </div>
    </form>
  );
}

function Thread({ conversation, readOnly, fresh }: { conversation: Conversation; readOnly: boolean; fresh: ReadonlySet<string> }) {
  const [replying, setReplying] = useState(false);
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
      {!readOnly && (replying ? <Reply conversation={conversation} onDone={() => setReplying(false)} /> : <button type="button" onClick={() => setReplying(true)}>Svara</button>)}
    </article>
  );
}

export function Messages({ me }: { me: PatientTreatment }) {
  const queryClient = useQueryClient();
  const [writing, setWriting] = useState(false);
  const list = useQuery({
    queryKey: ['me', 'conversations'],
    queryFn: () => unwrap<{ items: Conversation[]; total: number }>(api.GET('/api/me/treatment/conversations', { params: { query: { pageSize: 100 } } })),
    refetchInterval: 30_000,
    staleTime: 0,
  });
  // The read that shows a message marks it read, so the next refetch says it is not new: keep the
  // marks of every message that came unread while this page is open.
  const [fresh, setFresh] = useState<ReadonlySet<string>>(() => new Set());
  useEffect(() => {
    const unread = list.data?.items.flatMap((c) => c.messages.filter((m) => m.unread).map((m) => m.id)) ?? [];
    if (unread.some((id) => !fresh.has(id))) {
      setFresh(new Set([...fresh, ...unread]));
      // They are read now: the count beside Meddelanden in the menu follows.
      void queryClient.invalidateQueries({ queryKey: ['me'], exact: true });
    }
  }, [list.data, fresh, queryClient]);
  const freshCount = fresh.size;
  return (
    <>
      <h1>Meddelanden</h1>
      <ReadOnlyNotice me={me} />
      <p>Här skriver du till din behandlare. Svaret kommer hit; du kan få en avisering via SMS eller e-post (se Inställningar).</p>
      {!me.readOnly && !writing && <p><button type="button" className="primary" onClick={() => setWriting(true)}>Nytt meddelande</button></p>}
      {writing && <NewMessage onDone={() => setWriting(false)} />}
      {list.error && <ErrorText error={list.error} />}
      {list.data && list.data.items.length === 0 && <p>Inga meddelanden än.</p>}
      {freshCount > 0 && <p className="notice" role="status">{freshCount === 1 ? 'Ett nytt meddelande' : `${freshCount} nya meddelanden`} från din behandlare, markerade med <strong>Nytt</strong>. Nu är de lästa.</p>}
      <div className="stack">
        {list.data?.items.map((c) => <Thread key={c.id} conversation={c} readOnly={me.readOnly} fresh={fresh} />)}
      </div>
    </>
  );
}
