// Min profil: the clinician's e-mail and phone, and for each flag type whether it also sends an
// e-mail or an SMS. Checked at the field; the API's field errors at the field they name.
import { useEffect, useId } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ContactVerification } from '../../components/ContactVerification';
import { ErrorText } from '../../components/ErrorText';
import { Field } from '../../components/Field';
import { request } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/errors';
import { flagTypeText } from '../../utils/format';
import { profileKeys } from './queries';

type Settings = components['schemas']['ClinicianSettings'];
type FlagType = Settings['emailFlagTypes'][number];
/** The flag types a clinician may be told of by e-mail or SMS, in the order shown. */
// Every flag type: the compiler refuses a type the API adds until it is listed here.
const FLAG_TYPES = [
  'first_login', 'message_received', 'form_submitted', 'module_finished', 'deadline_passed',
  'patient_inactive', 'followup_unanswered', 'not_started', 'activity_missed',
] as const satisfies readonly FlagType[];
const everyFlagTypeListed: [Exclude<FlagType, (typeof FLAG_TYPES)[number]>] extends [never] ? true : never = true;
void everyFlagTypeListed;
const flagType = (value: string): FlagType | undefined => FLAG_TYPES.find((f) => f === value);

const words = { email: 'Ange en giltig e-postadress.', phone: 'Ange ett giltigt mobilnummer.' };
const schema = z.object({
  email: z.union([z.literal(''), z.email(words.email)]),
  phone: z.string().trim().max(40, words.phone),
  emailFlagTypes: z.array(z.string()),
  smsFlagTypes: z.array(z.string()),
});
type Values = z.input<typeof schema>;

export function ProfilePage() {
  useEffect(() => { document.title = 'Min profil – Tobakshjälpen'; }, []);
  const settings = useQuery(profileKeys.settings());
  const qc = useQueryClient();
  return (
    <div className="narrow">
      <h1>Min profil</h1>
      {settings.error && <ErrorText error={settings.error} />}
      {settings.data && <ProfileForm initial={settings.data} />}
      {settings.data && <ContactVerification who="clinician" settings={settings.data} onVerified={() => void qc.invalidateQueries({ queryKey: profileKeys.settings().queryKey })} />}
    </div>
  );
}

function ProfileForm({ initial }: { initial: Settings }) {
  const base = useId();
  const qc = useQueryClient();
  const { register, handleSubmit, setError, formState: { errors } } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { email: initial.email ?? '', phone: initial.phone ?? '', emailFlagTypes: initial.emailFlagTypes, smsFlagTypes: initial.smsFlagTypes },
  });
  const save = useMutation({
    mutationFn: (v: Values) => request(api.PUT('/api/clinicians/me/settings', {
      body: {
        email: v.email.trim() || null, phone: v.phone.trim() || null,
        emailFlagTypes: v.emailFlagTypes.flatMap((f) => flagType(f) ?? []), smsFlagTypes: v.smsFlagTypes.flatMap((f) => flagType(f) ?? []),
      },
    })),
    onSuccess: (data) => qc.setQueryData(profileKeys.settings().queryKey, data),
    onError: (err) => {
      for (const [field, message] of fieldErrorsOf(err, { email: 'email', phone: 'phone' }, words).errors) setError(field, { type: 'server', message });
    },
  });
  return (
    <form className="stack" onSubmit={(e) => void handleSubmit((v) => save.mutate(v))(e)} noValidate>
      <Field id={`${base}-email`} label="E-post" error={errors.email?.message}>
        {(control) => <input {...control} type="email" autoComplete="email" {...register('email')} />}
      </Field>
      <Field id={`${base}-phone`} label="Mobilnummer" error={errors.phone?.message}>
        {(control) => <input {...control} type="tel" autoComplete="tel" {...register('phone')} />}
      </Field>
      <table className="list">
        <caption>Avisering per flaggtyp (utöver flaggan i Tobakshjälpen)</caption>
        <thead><tr><th scope="col">Flaggtyp</th><th scope="col">E-post</th><th scope="col">SMS</th></tr></thead>
        <tbody>
          {FLAG_TYPES.map((f) => (
            <tr key={f}>
              <th scope="row" id={`${base}-${f}`}>{flagTypeText[f]}</th>
              <td><input type="checkbox" value={f} aria-label={`E-post: ${flagTypeText[f]}`} {...register('emailFlagTypes')} /></td>
              <td><input type="checkbox" value={f} aria-label={`SMS: ${flagTypeText[f]}`} {...register('smsFlagTypes')} /></td>
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
