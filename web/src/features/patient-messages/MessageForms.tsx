// Nytt meddelande (Ämne, Meddelande) and Svara (Svar): focus moves into the form as it opens;
// checked at the field, the API's field errors at the field they name; what is typed is kept as a
// draft (sessionStorage, this tab only) through a page change or a reload until sent; Avbryt on a
// written message asks first.
import { useEffect, useId, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm, useWatch } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { Field } from '../../components/Field';
import { clearDraft, readDraft, writeDraft } from '../../components/question-form/draft';
import { send } from '../../lib/api';
import { errorText, fieldErrorsOf } from '../../lib/errors';
import { messageApiFields, messageWords, subjectField, textField } from '../../lib/message-form';
import { patientMessagesKeys } from './queries';

type Conversation = components['schemas']['PatientConversation'];
const newSchema = z.object({ subject: subjectField, text: textField });
const replySchema = z.object({ text: textField });

const isStrings = (v: unknown): v is Record<string, string> => typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'string');

/** Avbryt: at once when nothing is written, else after asking (Släng / Fortsätt skriva). */
function CancelButton({ written, onCancel }: { written: boolean; onCancel: () => void }) {
  const [asking, setAsking] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => { if (asking) keep.current?.focus(); }, [asking]);
  if (!asking) return <button type="button" onClick={() => (written ? setAsking(true) : onCancel())}>Avbryt</button>;
  return (
    <div role="alertdialog" aria-label="Slänga det du skrivit?" aria-describedby="discard-question" className="notice stack">
      <p id="discard-question">Vill du slänga det du har skrivit? Det går inte att ångra.</p>
      <div className="actions">
        <button type="button" onClick={onCancel}>Släng</button>
        <button type="button" className="primary" ref={keep} onClick={() => setAsking(false)}>Fortsätt skriva</button>
      </div>
    </div>
  );
}

const formErrorOf = (err: unknown) => (fieldErrorsOf(err, messageApiFields, messageWords).errors.length ? 'Rätta uppgifterna som är markerade.' : errorText(err));

export const NEW_MESSAGE_DRAFT = 'meddelande:nytt';
export const replyDraftKey = (conversationId: string) => `meddelande:svar:${conversationId}`;

export function NewMessage({ onDone, onSent }: { onDone: () => void; onSent: () => void }) {
  const base = useId().replace(/:/g, '');
  const queryClient = useQueryClient();
  const [initial] = useState(() => ({ subject: '', text: '', ...readDraft(NEW_MESSAGE_DRAFT, isStrings) }));
  const { register, handleSubmit, setError, setFocus, control, formState: { errors } } = useForm<z.input<typeof newSchema>>({ resolver: zodResolver(newSchema), defaultValues: initial });
  const values = useWatch({ control, defaultValue: initial });
  const written = !!(values.subject?.trim() || values.text?.trim());
  useEffect(() => { writeDraft(NEW_MESSAGE_DRAFT, values, !written); }, [values, written]);
  useEffect(() => { setFocus('subject'); }, [setFocus]);
  const cancel = () => { clearDraft(NEW_MESSAGE_DRAFT); onDone(); };
  const sendMessage = useMutation({
    mutationFn: (v: z.input<typeof newSchema>) => send(api.POST('/api/me/treatment/conversations', { body: { subject: v.subject.trim(), text: v.text.trim(), notify: false } })),
    onSuccess: async () => { clearDraft(NEW_MESSAGE_DRAFT); await queryClient.invalidateQueries({ queryKey: patientMessagesKeys.conversations().queryKey }); onSent(); onDone(); },
    onError: (err) => { for (const [f, message] of fieldErrorsOf(err, messageApiFields, messageWords).errors) setError(f, { type: 'server', message }); },
  });
  return (
    <form onSubmit={(e) => void handleSubmit((v) => sendMessage.mutate(v))(e)} noValidate className="card stack" aria-label="Nytt meddelande">
      <h2>Nytt meddelande</h2>
      {sendMessage.error && <p className="error" role="alert">{formErrorOf(sendMessage.error)}</p>}
      <Field id={`${base}-subject`} label="Ämne" error={errors.subject?.message}>{(control) => <input {...control} {...register('subject')} />}</Field>
      <Field id={`${base}-text`} label="Meddelande" error={errors.text?.message}>{(control) => <textarea {...control} rows={5} {...register('text')} />}</Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={sendMessage.isPending}>Skicka</button>
        <CancelButton written={written} onCancel={cancel} />
      </div>
    </form>
  );
}

export function Reply({ conversation, onDone, onSent }: { conversation: Conversation; onDone: () => void; onSent: () => void }) {
  const base = useId().replace(/:/g, '');
  const queryClient = useQueryClient();
  const key = replyDraftKey(conversation.id);
  const [initial] = useState(() => ({ text: '', ...readDraft(key, isStrings) }));
  const { register, handleSubmit, setError, setFocus, control, formState: { errors } } = useForm<z.input<typeof replySchema>>({ resolver: zodResolver(replySchema), defaultValues: initial });
  const values = useWatch({ control, defaultValue: initial });
  const written = !!values.text?.trim();
  useEffect(() => { writeDraft(key, values, !written); }, [key, values, written]);
  useEffect(() => { setFocus('text'); }, [setFocus]);
  const cancel = () => { clearDraft(key); onDone(); };
  const sendReply = useMutation({
    mutationFn: (v: z.input<typeof replySchema>) => send(api.POST('/api/me/treatment/conversations/{cid}/messages', { params: { path: { cid: conversation.id } }, body: { text: v.text.trim(), notify: false } })),
    onSuccess: async () => { clearDraft(key); await queryClient.invalidateQueries({ queryKey: patientMessagesKeys.conversations().queryKey }); onSent(); onDone(); },
    onError: (err) => { for (const [f, message] of fieldErrorsOf(err, { text: 'text' }, messageWords).errors) setError(f, { type: 'server', message }); },
  });
  return (
    <form onSubmit={(e) => void handleSubmit((v) => sendReply.mutate(v))(e)} noValidate className="stack" aria-label={`Svara: ${conversation.subject}`}>
      {sendReply.error && <p className="error" role="alert">{formErrorOf(sendReply.error)}</p>}
      <Field id={`${base}-reply`} label="Svar" error={errors.text?.message}>{(control) => <textarea {...control} rows={4} {...register('text')} />}</Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={sendReply.isPending}>Skicka</button>
        <CancelButton written={written} onCancel={cancel} />
      </div>
    </form>
  );
}
