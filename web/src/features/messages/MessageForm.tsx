// A new conversation (Ämne, Meddelande) or a reply (Svar), with Avisera via SMS: checked at the
// field, the API's field errors at the field they name, nothing typed lost on an error.
import { useId } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { api } from '../../api/client';
import { Field } from '../../components/Field';
import { ErrorText } from '../../components/ErrorText';
import { send } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/errors';
import { messageApiFields, messageWords, subjectField, textField } from '../../lib/message-form';
import type { Treatment } from '../../lib/treatment';

const newSchema = z.object({ subject: subjectField, text: textField, notify: z.boolean() });
const replySchema = z.object({ subject: z.string(), text: textField, notify: z.boolean() });
type Values = z.input<typeof newSchema>;

/** Why an SMS notice cannot go out as asked, said before sending; null when it can. */
export function smsNoticeLimit(t: Treatment): string | null {
  if (!t.patient.phone) return 'Invånaren har inget mobilnummer, så inget SMS skickas.';
  if (!t.patient.phoneVerified) return 'Invånarens mobilnummer är inte verifierat, så SMS:et blir bara en neutral avisering utan innehåll om vården.';
  return null;
}

export function MessageForm({ t, conversationId, onDone, onCancel }: { t: Treatment; conversationId?: string; onDone: () => void; onCancel: () => void }) {
  const base = useId();
  const smsHint = smsNoticeLimit(t);
  const { register, handleSubmit, setError, formState: { errors } } = useForm<Values>({
    resolver: zodResolver(conversationId ? replySchema : newSchema),
    defaultValues: { subject: '', text: '', notify: true },
  });
  const sendMessage = useMutation({
    mutationFn: (v: Values) => (conversationId
      ? send(api.POST('/api/treatments/{id}/conversations/{cid}/messages', { params: { path: { id: t.id, cid: conversationId } }, body: { text: v.text.trim(), notify: v.notify } }))
      : send(api.POST('/api/treatments/{id}/conversations', { params: { path: { id: t.id } }, body: { subject: v.subject.trim(), text: v.text.trim(), notify: v.notify } }))),
    onSuccess: onDone,
    onError: (err) => {
      for (const [field, message] of fieldErrorsOf(err, messageApiFields, messageWords).errors) setError(field, { type: 'server', message });
    },
  });
  return (
    <form className="card stack" onSubmit={(e) => void handleSubmit((v) => sendMessage.mutate(v))(e)} noValidate aria-label={conversationId ? 'Svara' : 'Nytt meddelande'}>
      {!conversationId && (
        <Field id={`${base}-subject`} label="Ämne" error={errors.subject?.message}>
          {(control) => <input {...control} maxLength={200} {...register('subject')} />}
        </Field>
      )}
      <Field id={`${base}-text`} label={conversationId ? 'Svar' : 'Meddelande'} error={errors.text?.message}>
        {(control) => <textarea {...control} rows={4} {...register('text')} />}
      </Field>
      <div className="check">
        <input id={`${base}-notify`} type="checkbox" aria-describedby={smsHint ? `${base}-smshint` : undefined} {...register('notify')} />
        <label htmlFor={`${base}-notify`}>Avisera via SMS</label>
      </div>
      {smsHint && <p className="hint" id={`${base}-smshint`}>{smsHint}</p>}
      {sendMessage.error && <ErrorText error={sendMessage.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={sendMessage.isPending}>Skicka</button>
        <button type="button" onClick={onCancel}>Avbryt</button>
      </div>
    </form>
  );
}
