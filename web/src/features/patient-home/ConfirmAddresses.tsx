// Bekräfta mobilnummer / Bekräfta e-post on Home: while an address is not confirmed, notices go
// there in their neutral form only (or, for an address the patient changed, not at all). A code is
// sent on request (Bekräfta …), typed in Kod and confirmed with Bekräfta.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import { send } from '../../lib/api';
import { errorText, fieldText } from '../../lib/errors';
import { meKeys } from '../../lib/me';

type Channel = 'sms' | 'email';

export interface Unconfirmed { channel: Channel; address: string }

/** The addresses still to confirm (from the patient's settings). */
export function unconfirmedOf(s: { phone: string | null; email: string | null; phoneVerified: boolean; emailVerified: boolean }): Unconfirmed[] {
  const out: Unconfirmed[] = [];
  if (s.phone && !s.phoneVerified) out.push({ channel: 'sms', address: s.phone });
  if (s.email && !s.emailVerified) out.push({ channel: 'email', address: s.email });
  return out;
}

export function ConfirmAddress({ channel, address, onConfirmed }: { channel: Channel; address: string; onConfirmed: (channel: Channel) => void }) {
  const id = useId().replace(/:/g, '');
  const queryClient = useQueryClient();
  const [asked, setAsked] = useState(false);
  const [code, setCode] = useState('');
  const codeRef = useRef<HTMLInputElement>(null);
  // Each time a code is asked for, focus moves to Kod.
  const [focusCode, setFocusCode] = useState(0);
  useEffect(() => { if (focusCode > 0) codeRef.current?.focus(); }, [focusCode]);
  const what = channel === 'sms' ? 'mobilnummer' : 'e-post';
  const where = channel === 'sms' ? 'ett SMS till' : 'ett e-brev till';
  const ask = useMutation({
    mutationFn: () => send(api.POST('/api/me/settings/verification-code', { body: { channel } })),
    // A code sent within the last minute (429) is still good: the form is offered either way.
    onSettled: () => { setAsked(true); setFocusCode((n) => n + 1); },
  });
  const verify = useMutation({
    mutationFn: () => send(api.POST('/api/me/settings/verify', { body: { channel, code: code.trim() } })),
    onSuccess: () => { onConfirmed(channel); return queryClient.invalidateQueries({ queryKey: meKeys.all }); },
  });
  const askError = ask.error && !(ask.error instanceof ApiError && ask.error.problem.status === 429) ? errorText(ask.error) : null;
  // Wrong, expired, none waiting, too many tries: each said by its reason (lib/problem-words.ts).
  const codeError = verify.error instanceof ApiError ? verify.error.fieldError('code') : undefined;
  const verifyError = codeError ? fieldText(codeError) : verify.error ? errorText(verify.error) : null;
  const submit = (e: FormEvent) => { e.preventDefault(); if (code.trim()) verify.mutate(); };
  const title = `Bekräfta ${what}`;
  return (
    <div className="confirm-address stack">
      <p>{channel === 'sms' ? 'Mobilnummer' : 'E-post'}: <strong>{address}</strong></p>
      {!asked && <button type="button" onClick={() => ask.mutate()} disabled={ask.isPending}>{title}</button>}
      {askError && <p className="error" role="alert">{askError}</p>}
      {asked && (
        <form onSubmit={submit} noValidate className="stack" aria-label={title}>
          <p role="status">
            {ask.error ? `En kod skickades nyss som ${where} ${address}. Använd den koden.` : `Vi har skickat en kod som ${where} ${address}.`}
          </p>
          <div className="field">
            <label htmlFor={id}>Kod</label>
            {verifyError && <span className="field-error" id={`${id}-error`}>{verifyError}</span>}
            <input id={id} ref={codeRef} inputMode="numeric" autoComplete="one-time-code" value={code} maxLength={6}
              aria-invalid={verifyError ? true : undefined} aria-describedby={verifyError ? `${id}-error` : undefined} onChange={(e) => setCode(e.target.value)} />
          </div>
          <div className="actions">
            <button type="submit" className="primary" disabled={verify.isPending}>Bekräfta</button>
            <button type="button" disabled={ask.isPending} onClick={() => ask.mutate()}>Skicka ny kod</button>
          </div>
        </form>
      )}
    </div>
  );
}
