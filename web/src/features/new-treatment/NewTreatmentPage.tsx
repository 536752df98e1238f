// Starta ny behandling: the patient's details and the welcome text; errors (the form's own checks
// and the API's field errors) are shown next to their fields, and nothing typed is lost.
import { useEffect, useId, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { api } from '../../api/client';
import { requestWithStatus, send } from '../../lib/api';
import { errorText, fieldErrorsOf, isStatus } from '../../lib/errors';
import { Field, FormError, focusFirstError } from '../../components/Field';
import { apiFields, fieldWords, startBody, startSchema, type StartField, type StartValues } from './form';
import { treatmentKeys } from '../../lib/treatment';
import { useCareUnits } from '../../lib/care-units';

export function NewTreatmentPage({ careUnits, chosenUnit }: { careUnits: string[]; chosenUnit?: string }) {
  useEffect(() => { document.title = 'Starta ny behandling – Tobakshjälpen'; }, []);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const base = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const { nameOf } = useCareUnits();
  const { register, handleSubmit, setError, formState: { errors } } = useForm<StartValues>({
    resolver: zodResolver(startSchema),
    // The unit asked for (?vardenhet=) or worked in, when it is one of the clinician's.
    defaultValues: { careUnitId: chosenUnit && careUnits.includes(chosenUnit) ? chosenUnit : careUnits[0] ?? '', personnummer: '', programId: 'tobakshjalpen', name: '', phone: '', email: '', welcome: '' },
  });

  const start = useMutation({
    mutationFn: async (values: StartValues) => {
      const v = startSchema.parse(values);
      const { data: treatment, status } = await requestWithStatus(api.POST('/api/treatments', { body: startBody(v) }));
      if (v.welcome) await send(api.PUT('/api/treatments/{id}/welcome-text', { params: { path: { id: treatment.id } }, body: { text: v.welcome } }));
      return { treatment, existing: status === 200 };
    },
    onSuccess: ({ treatment, existing }) => {
      void queryClient.invalidateQueries({ queryKey: treatmentKeys.lists });
      void navigate({ to: '/behandlare/behandlingar/$treatmentId', params: { treatmentId: treatment.id }, search: existing ? { befintlig: 1 } : {} });
    },
    onError: (err) => {
      const placed = fieldErrorsOf<StartField>(err, apiFields, fieldWords);
      for (const [field, message] of placed.errors) setError(field, { type: 'server', message });
      if (isStatus(err, 409)) {
        setFormError('Invånaren har redan en pågående behandling i programmet på en annan vårdenhet. Den behöver avslutas där innan en ny kan startas här.');
      } else setFormError(placed.errors.length ? 'Rätta uppgifterna som är markerade nedan.' : errorText(err));
      focusFirstError(formRef.current);
    },
  });

  const valid = (values: StartValues) => { setFormError(null); start.mutate(values); };
  const invalid = () => { setFormError('Rätta uppgifterna som är markerade nedan.'); focusFirstError(formRef.current); };
  const id = (f: StartField) => `${base}-${f}`;
  const text = (f: 'personnummer' | 'name' | 'phone' | 'email', label: string, props: { type?: string; autoComplete?: string; required?: boolean; hint?: string } = {}) => (
    <Field id={id(f)} label={label} hint={props.hint} error={errors[f]?.message}>
      {(control) => <input {...control} type={props.type ?? 'text'} autoComplete={props.autoComplete ?? 'off'} required={props.required} {...register(f)} />}
    </Field>
  );

  return (
    <div className="narrow">
      <h1>Starta ny behandling</h1>
      <form ref={formRef} onSubmit={(e) => void handleSubmit(valid, invalid)(e)} noValidate className="stack">
        <FormError text={formError} />
        {text('personnummer', 'Personnummer', { required: true, hint: 'Obligatoriskt. 12 siffror: ÅÅÅÅMMDD-NNNN' })}
        <Field id={id('programId')} label="Program" error={errors.programId?.message}>
          {(control) => <select {...control} {...register('programId')}><option value="tobakshjalpen">Tobakshjälpen</option></select>}
        </Field>
        {careUnits.length > 1 && (
          <Field id={id('careUnitId')} label="Vårdenhet" error={errors.careUnitId?.message}>
            {(control) => <select {...control} {...register('careUnitId')}>{careUnits.map((u) => <option key={u} value={u}>{nameOf(u)}</option>)}</select>}
          </Field>
        )}
        {text('name', 'Namn', { autoComplete: 'name' })}
        {text('phone', 'Mobilnummer', { type: 'tel', autoComplete: 'tel' })}
        {text('email', 'E-post', { type: 'email', autoComplete: 'email' })}
        <Field id={id('welcome')} label="Välkomsttext" hint="Visas för invånaren överst i programmet." error={errors.welcome?.message}>
          {(control) => <textarea {...control} rows={5} {...register('welcome')} />}
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={start.isPending}>Starta</button>
          <button type="button" onClick={() => void navigate({ to: '/behandlare' })}>Avbryt</button>
        </div>
        {start.isPending && <p role="status">Startar behandlingen …</p>}
      </form>
    </div>
  );
}
