// Bekräfta kontaktuppgifter: a clinician's address receives flag notices only once confirmed with
// the one-time code sent there; a patient's gets the full notices once confirmed (the one the
// clinician entered gets neutral ones until then; security #14). Shared by the clinician's Min
// profil and the patient's Inställningar.
import { useId, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import { send } from '../lib/api';
import { errorText, fieldText, isStatus } from '../lib/errors';

type Channel = 'sms' | 'email';
interface Verifiable { phone: string | null; email: string | null; phoneVerified?: boolean; emailVerified?: boolean }

export function ContactVerification({ who, settings, onVerified, disabled = false }: {
  who: 'clinician' | 'patient'; settings: Verifiable; onVerified: () => void; disabled?: boolean;
}) {
  const pending: Array<[Channel, string, string]> = [];
  if (settings.phone && settings.phoneVerified === false) pending.push(['sms', 'mobilnumret', settings.phone]);
  if (settings.email && settings.emailVerified === false) pending.push(['email', 'e-postadressen', settings.email]);
  if (pending.length === 0) return null;
  return (
    <section aria-label="Bekräfta kontaktuppgifter" className="stack">
      <h2>Bekräfta kontaktuppgifter</h2>
      <p>{who === 'patient'
        ? 'Tills du har bekräftat får ett nummer eller en adress som din behandlare har angett bara korta aviseringar utan detaljer, och ett nummer eller en adress som du själv har ändrat får inga aviseringar. Skriv in koden vi skickade.'
        : 'Aviseringar om flaggor skickas bara till uppgifter du har bekräftat. Skriv in koden vi skickade.'}</p>
      {pending.map(([channel, what, address]) => (
        <CodeForm key={channel} who={who} channel={channel} what={what} address={address} onVerified={onVerified} disabled={disabled} />
      ))}
    </section>
  );
}

function CodeForm({ who, channel, what, address, onVerified, disabled }: {
  who: 'clinician' | 'patient'; channel: Channel; what: string; address: string; onVerified: () => void; disabled: boolean;
}) {
  const id = `${useId().replace(/:/g, '')}-code`;
  const [code, setCode] = useState('');
  const verify = useMutation({
    mutationFn: () => {
      const body = { channel, code: code.trim() };
      return send(who === 'clinician' ? api.POST('/api/clinicians/me/settings/verify', { body }) : api.POST('/api/me/settings/verify', { body }));
    },
    onSuccess: onVerified,
  });
  const resend = useMutation({ mutationFn: () => send(who === 'clinician' ? api.POST('/api/clinicians/me/settings/verification-code', { body: { channel } }) : api.POST('/api/me/settings/verification-code', { body: { channel } })) });
  // Wrong, expired, none waiting, too many tries: each said by its reason (lib/problem-words.ts).
  const codeError = verify.error instanceof ApiError ? verify.error.fieldError('code') : undefined;
  const error = codeError ? fieldText(codeError) : verify.error ? errorText(verify.error) : undefined;
  const submit = (e: FormEvent) => { e.preventDefault(); verify.mutate(); };
  const label = `Kod för ${what} ${address}`;
  return (
    <form onSubmit={submit} noValidate className="stack" aria-label={`Bekräfta ${what}`}>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        {error && <span className="field-error" id={`${id}-error`}>{error}</span>}
        <input id={id} inputMode="numeric" autoComplete="one-time-code" value={code} maxLength={6} disabled={disabled}
          aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => setCode(e.target.value)} />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={disabled || verify.isPending}>Bekräfta</button>
        <button type="button" disabled={disabled || resend.isPending} onClick={() => resend.mutate()}>Skicka ny kod</button>
      </div>
      {resend.isSuccess && <p role="status" className="ok">En ny kod är skickad.</p>}
      {resend.error && <p className="error" role="alert">{isStatus(resend.error, 429) ? 'Vänta en stund innan du ber om en ny kod.' : errorText(resend.error)}</p>}
    </form>
  );
}
