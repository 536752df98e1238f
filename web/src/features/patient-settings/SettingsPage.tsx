// Inställningar: the patient's phone, e-mail and whether notices come by SMS and e-mail. Checked
// at the field; the API's field errors at the field they name; nothing typed lost on an error.
import { useId, useSyncExternalStore } from 'react';
import { currentSession, onSessionChange } from '../../auth';
import { personnummerText } from '../../utils/format';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ContactVerification } from '../../components/ContactVerification';
import { ErrorText } from '../../components/ErrorText';
import { Field } from '../../components/Field';
import { ReadOnlyNotice } from '../../components/ReadOnlyNotice';
import { request } from '../../lib/api';
import { errorText, fieldErrorsOf } from '../../lib/errors';
import type { PatientTreatment } from '../../lib/me';
import { patientSettingsKeys } from './queries';

type Settings = components['schemas']['PatientSettings'];
const words = { phone: 'Ange ett giltigt mobilnummer, till exempel 070-123 45 67.', email: 'Ange en giltig e-postadress.' };
const schema = z.object({
  phone: z.string().trim().max(40, words.phone),
  email: z.union([z.literal(''), z.email(words.email)]),
  notifyBySms: z.boolean(),
  notifyByEmail: z.boolean(),
});
type Values = z.input<typeof schema>;
const valuesOf = (s: Settings | undefined): Values => ({ phone: s?.phone ?? '', email: s?.email ?? '', notifyBySms: s?.notifyBySms ?? true, notifyByEmail: s?.notifyByEmail ?? true });

export function SettingsPage({ me }: { me: PatientTreatment }) {
  const base = useId().replace(/:/g, '');
  const session = useSyncExternalStore(onSessionChange, currentSession);
  const queryClient = useQueryClient();
  const settings = useQuery(patientSettingsKeys.settings());
  const loaded = !!settings.data;
  // The saved settings fill the form once they are in; what the patient typed is kept after that.
  const { register, handleSubmit, setError, formState: { errors } } = useForm<Values>({
    resolver: zodResolver(schema), values: valuesOf(settings.data), resetOptions: { keepDirtyValues: true },
  });
  const save = useMutation({
    mutationFn: (v: Values) => request(api.PUT('/api/me/settings', {
      body: { phone: v.phone.trim() || null, email: v.email.trim() || null, notifyBySms: v.notifyBySms, notifyByEmail: v.notifyByEmail },
    })),
    onSuccess: (data) => queryClient.setQueryData(patientSettingsKeys.settings().queryKey, data),
    onError: (err) => { for (const [f, message] of fieldErrorsOf(err, { phone: 'phone', email: 'email' }, words).errors) setError(f, { type: 'server', message }); },
  });
  const text = (f: 'phone' | 'email', label: string, type: string, autoComplete: string) => (
    <Field id={`${base}-${f}`} label={label} error={errors[f]?.message}>
      {(control) => <input {...control} type={type} autoComplete={autoComplete} {...register(f)} />}
    </Field>
  );
  const check = (f: 'notifyBySms' | 'notifyByEmail', label: string) => (
    <label className="check" htmlFor={`${base}-${f}`}>
      <input id={`${base}-${f}`} type="checkbox" {...register(f)} />
      {label}
    </label>
  );
  const failed = save.error ?? (Object.keys(errors).length ? 'invalid' : null);
  return (
    <div className="narrow">
      <h1>Inställningar</h1>
      <ReadOnlyNotice me={me} />
      {session?.role === 'patient' && <p>Du är inloggad med personnummer <strong>{personnummerText(session.sub)}</strong>.</p>}
      {settings.error && <ErrorText error={settings.error} />}
      <form onSubmit={(e) => void handleSubmit((v) => save.mutate(v))(e)} noValidate className="stack" aria-label="Inställningar för avisering">
        <p>När din behandlare skriver till dig eller något nytt finns att göra får du en avisering. Aviseringen säger bara att det finns något nytt, aldrig vad.</p>
        {failed && <p className="error" role="alert">{failed === 'invalid' || fieldErrorsOf(failed, { phone: 'phone', email: 'email' }, words).errors.length ? 'Rätta uppgifterna som är markerade.' : errorText(failed)}</p>}
        <fieldset disabled={me.readOnly || !loaded} className="plain stack">
          {text('phone', 'Mobilnummer', 'tel', 'tel')}
          {text('email', 'E-post', 'email', 'email')}
          <fieldset className="plain stack">
            <legend>Aviseringar</legend>
            {check('notifyBySms', 'Avisering via SMS')}
            {check('notifyByEmail', 'Avisering via e-post')}
          </fieldset>
          <div className="actions"><button type="submit" className="primary" disabled={save.isPending}>Spara</button></div>
        </fieldset>
        {save.isSuccess && <p role="status" className="ok">Sparat.</p>}
      </form>
      {settings.data && <ContactVerification who="patient" settings={settings.data} disabled={me.readOnly} onVerified={() => void queryClient.invalidateQueries({ queryKey: patientSettingsKeys.settings().queryKey })} />}
    </div>
  );
}
