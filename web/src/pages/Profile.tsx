// Min profil: the clinician's e-mail and phone, and for each flag type whether it also sends an
// e-mail or an SMS.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, unwrap } from '../api/client';
import { flagTypeText } from '../format';
import type { ClinicianSettings } from '../api/types';
import { ErrorText } from './common';
import { ContactVerification } from './Verify';

type Settings = ClinicianSettings;
type FlagType = Settings['emailFlagTypes'][number];
const FLAG_TYPES = Object.keys(flagTypeText) as FlagType[];

export function Profile() {
  useEffect(() => { document.title = 'Min profil – Tobakshjälpen'; }, []);
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => unwrap(api.GET('/api/clinicians/me/settings')) });
  const qc = useQueryClient();
  return (
    <div className="narrow">
      <h1>Min profil</h1>
      {settings.error && <ErrorText error={settings.error} />}
      {settings.data && <ProfileForm initial={settings.data} />}
      {settings.data && <ContactVerification who="clinician" settings={settings.data} onVerified={(data) => qc.setQueryData(['settings'], data)} />}
    </div>
  );
}

function ProfileForm({ initial }: { initial: Settings }) {
  const base = useId();
  const qc = useQueryClient();
  const [email, setEmail] = useState(initial.email ?? '');
  const [phone, setPhone] = useState(initial.phone ?? '');
  const [emailTypes, setEmailTypes] = useState(new Set(initial.emailFlagTypes));
  const [smsTypes, setSmsTypes] = useState(new Set(initial.smsFlagTypes));
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/api/clinicians/me/settings', {
      body: {
        email: email.trim() || null, phone: phone.trim() || null,
        emailFlagTypes: FLAG_TYPES.filter((f) => emailTypes.has(f)), smsFlagTypes: FLAG_TYPES.filter((f) => smsTypes.has(f)),
      },
    })),
    onSuccess: (data) => qc.setQueryData(['settings'], data),
  });
  const toggle = (set: Set<FlagType>, update: (s: Set<FlagType>) => void, type: FlagType, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(type); else next.delete(type);
    update(next);
  };
  const fieldError = (field: string) => (save.error instanceof ApiError ? save.error.fieldError(field) : undefined);
  const submit = (e: FormEvent) => { e.preventDefault(); save.mutate(); };
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${base}-email`}>E-post</label>
        {fieldError('email') && <span className="field-error" id={`${base}-email-error`}>Ange en giltig e-postadress.</span>}
        <input id={`${base}-email`} type="email" autoComplete="email" value={email} aria-invalid={fieldError('email') ? true : undefined}
          aria-describedby={fieldError('email') ? `${base}-email-error` : undefined} onChange={(e) => setEmail(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${base}-phone`}>Mobilnummer</label>
        {fieldError('phone') && <span className="field-error" id={`${base}-phone-error`}>Ange ett giltigt mobilnummer.</span>}
        <input id={`${base}-phone`} type="tel" autoComplete="tel" value={phone} aria-invalid={fieldError('phone') ? true : undefined}
          aria-describedby={fieldError('phone') ? `${base}-phone-error` : undefined} onChange={(e) => setPhone(e.target.value)} />
      </div>
      <table className="list">
        <caption>Avisering per flaggtyp (utöver flaggan i Tobakshjälpen)</caption>
        <thead><tr><th scope="col">Flaggtyp</th><th scope="col">E-post</th><th scope="col">SMS</th></tr></thead>
        <tbody>
          {FLAG_TYPES.map((f) => (
            <tr key={f}>
              <th scope="row" id={`${base}-${f}`}>{flagTypeText[f]}</th>
              <td><input type="checkbox" aria-label={`E-post: ${flagTypeText[f]}`} checked={emailTypes.has(f)} onChange={(e) => toggle(emailTypes, setEmailTypes, f, e.target.checked)} /></td>
              <td><input type="checkbox" aria-label={`SMS: ${flagTypeText[f]}`} checked={smsTypes.has(f)} onChange={(e) => toggle(smsTypes, setSmsTypes, f, e.target.checked)} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {save.error && <ErrorText error={save.error} />}
      <div className="actions"><button type="submit" className="primary" disabled={save.isPending}>Spara</button></div>
      {save.isSuccess && <p role="status">Sparat.</p>}
    </form>
  );
}
