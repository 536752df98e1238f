// Nytt meddelande (Ämne, Meddelande) and Svara (Svar): checked at the field, the API's field errors
// at the field they name, nothing typed lost on an error.
import { useId } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { Field } from '../../components/Field';
import { send } from '../../lib/api';
import { errorText, fieldErrorsOf } from '../../lib/errors';
import { messageApiFields, messageWords, subjectField, textField } from '../../lib/message-form';
import { patientMessagesKeys } from './queries';

type Conversation = components['schemas']['PatientConversation'];
const newSchema = z.object({ subject: subjectField, text: textField });
const replySchema = z.object({ text: textField });

const formErrorOf = (err: unknown) => (fieldErrorsOf(err, messageApiFields, messageWords).errors.length ? 'Rätta uppgifterna som är markerade.' : errorText(err));

export function NewMessage({ onDone }: { onDone: () => void }) {
  const base = useId().replace(/:/g, '');
  const queryClient = useQueryClient();
  const { register, handleSubmit, setError, formState: { errors } } = useForm<z.input<typeof newSchema>>({ resolver: zodResolver(newSchema), defaultValues: { subject: '', text: '' } });
  const sendMessage = useMutation({
    mutationFn: (v: z.input<typeof newSchema>) => send(api.POST('/api/me/treatment/conversations', { body: { subject: v.subject.trim(), text: v.text.trim(), notify: false } })),
    onSuccess: async () => { await queryClient.invalidateQueries({ queryKey: patientMessagesKeys.conversations().queryKey }); onDone(); },
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
        <button type="button" onClick={onDone}>Avbryt</button>
      </div>
    </form>
  );
}

export function Reply({ conversation, onDone }: { conversation: Conversation; onDone: () => void }) {
  const base = useId().replace(/:/g, '');
  const queryClient = useQueryClient();
  const { register, handleSubmit, setError, formState: { errors } } = useForm<z.input<typeof replySchema>>({ resolver: zodResolver(replySchema), defaultValues: { text: '' } });
  const sendReply = useMutation({
    mutationFn: (v: z.input<typeof replySchema>) => send(api.POST('/api/me/treatment/conversations/{cid}/messages', { params: { path: { cid: conversation.id } }, body: { text: v.text.trim(), notify: false } })),
    onSuccess: async () => { await queryClient.invalidateQueries({ queryKey: patientMessagesKeys.conversations().queryKey }); onDone(); },
    onError: (err) => { for (const [f, message] of fieldErrorsOf(err, { text: 'text' }, messageWords).errors) setError(f, { type: 'server', message }); },
  });
  return (
    <form onSubmit={(e) => void handleSubmit((v) => sendReply.mutate(v))(e)} noValidate className="stack" aria-label={`Svara: ${conversation.subject}`}>
      {sendReply.error && <p className="error" role="alert">{formErrorOf(sendReply.error)}</p>}
      <Field id={`${base}-reply`} label="Svar" error={errors.text?.message}>{(control) => <textarea {...control} rows={4} {...register('text')} />}</Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={sendReply.isPending}>Skicka</button>
        <button type="button" onClick={onDone}>Avbryt</button>
      </div>
    </form>
  );
}
