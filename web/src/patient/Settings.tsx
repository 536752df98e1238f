// Inställningar: the patient's phone, e-mail and whether notices come by SMS and e-mail.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, unwrap } from '../api/client';
import { ErrorText, errorText } from '../pages/common';
import type { PatientTreatment, Settings } from './api';
import { ReadOnlyNotice } from './Notice';
import { ContactVerification } from '../pages/Verify';

const words: Record<string, string> = { phone: 'Ange ett giltigt mobilnummer, till exempel 070-123 45 67.', email: 'Ange en giltig e-postadress.' };

export function SettingsPage({ me }: { me: PatientTreatment }) {
  const base = useId().replace(/:/g, '');
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['me', 'settings'], queryFn: () => unwrap<Settings>(api.GET('/api/me/settings')) });
  const [values, setValues] = useState({ phone: '', email: '', notifyBySms: true, notifyByEmail: true });
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    if (settings.data && !loaded) {
      setValues({ phone: settings.data.phone ?? '', email: settings.data.email ?? '', notifyBySms: settings.data.notifyBySms, notifyByEmail: settings.data.notifyByEmail });
      setLoaded(true);
    }
  }, [settings.data, loaded]);
  const save = useMutation({
    mutationFn: () => unwrap<Settings>(api.PUT('/api/me/settings', {
      body: { phone: values.phone.trim() || null, email: values.email.trim() || null, notifyBySms: values.notifyBySms, notifyByEmail: values.notifyByEmail },
    })),
    onSuccess: (data) => queryClient.setQueryData(['me', 'settings'], data),
  });
  const submit = (e: FormEvent) => { e.preventDefault(); save.mutate(); };
  const fieldError = (f: string) => (save.error instanceof ApiError && save.error.fieldError(f) ? words[f] ?? save.error.fieldError(f) : undefined);
  const text = (f: 'phone' | 'email', label: string, type: string, autoComplete: string) => {
    const error = fieldError(f);
    const id = `${base}-${f}`;
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        {error && <span className="field-error" id={`${id}-error`}>{error}</span>}
        <input id={id} type={type} autoComplete={autoComplete} value={values[f]} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))} />
      </div>
    );
  };
  const check = (f: 'notifyBySms' | 'notifyByEmail', label: string) => (
    <label className="check" htmlFor={`${base}-${f}`}>
      <input id={`${base}-${f}`} type="checkbox" checked={values[f]} onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.checked }))} />
      {label}
    </label>
  );
  return (
    <div className="narrow">
      <h1>Inställningar</h1>
      <ReadOnlyNotice me={me} />
      {settings.error && <ErrorText error={settings.error} />}
      <form onSubmit={submit} noValidate className="stack" aria-label="Inställningar för avisering">
        <p>När din behandlare skriver till dig eller något nytt finns att göra får du en avisering. Aviseringen säger bara att det finns något nytt, aldrig vad.</p>
        {save.error && <p className="error" role="alert">{save.error instanceof ApiError && save.error.problem.errors?.length ? 'Rätta uppgifterna som är markerade.' : errorText(save.error)}</p>}
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
      {settings.data && <ContactVerification who="patient" settings={settings.data} disabled={me.readOnly} onVerified={(data) => queryClient.setQueryData(['me', 'settings'], data)} />}
    </div>
  );
}
