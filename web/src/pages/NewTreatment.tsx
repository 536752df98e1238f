// Starta ny behandling: the patient's details and the welcome text; the API's field errors are
// shown next to their fields, and nothing typed is lost.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, unwrap } from '../api/client';
import { navigate, useLocation } from '../router';
import { errorText } from './common';

const fieldWords: Record<string, string> = {
  personnummer: 'Ogiltigt personnummer. Ange 12 siffror (ÅÅÅÅMMDD-NNNN) med rätt kontrollsiffra och ett födelsedatum som har passerat.',
  programId: 'Välj ett program.',
  careUnitId: 'Välj en av dina vårdenheter.',
  'patient.name': 'Ange ett namn (högst 200 tecken).',
  'patient.phone': 'Ange ett mobilnummer, till exempel 070-123 45 67.',
  'patient.email': 'Ange en giltig e-postadress.',
  text: 'Välkomsttexten får vara högst 10 000 tecken.',
};

type Field = 'personnummer' | 'programId' | 'careUnitId' | 'patient.name' | 'patient.phone' | 'patient.email' | 'text';

export function NewTreatment({ careUnits }: { careUnits: string[] }) {
  useEffect(() => { document.title = 'Starta ny behandling – Tobakshjälpen'; }, []);
  const queryClient = useQueryClient();
  // The unit chosen on Mina patienter (?vardenhet=), when it is one of the clinician's.
  const chosen = useLocation().search.get('vardenhet');
  const [values, setValues] = useState({ careUnitId: chosen && careUnits.includes(chosen) ? chosen : careUnits[0] ?? '', personnummer: '', programId: 'tobakshjalpen', name: '', phone: '', email: '', welcome: '' });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const base = useId();
  const id = (f: string) => `${base}-${f.replace('.', '-')}`;

  const start = useMutation({
    mutationFn: async () => {
      const patient = {
        ...(values.name.trim() ? { name: values.name.trim() } : {}),
        ...(values.phone.trim() ? { phone: values.phone.trim() } : {}),
        ...(values.email.trim() ? { email: values.email.trim() } : {}),
      };
      const res = await api.POST('/api/treatments', {
        body: { personnummer: values.personnummer.trim(), programId: values.programId, careUnitId: values.careUnitId, ...(Object.keys(patient).length ? { patient } : {}) },
      });
      const treatment = await unwrap(Promise.resolve(res));
      if (values.welcome.trim()) {
        await unwrap(api.PUT('/api/treatments/{id}/welcome-text', { params: { path: { id: treatment.id } }, body: { text: values.welcome.trim() } }));
      }
      return { treatment, existing: res.response.status === 200 };
    },
    onSuccess: ({ treatment, existing }) => {
      void queryClient.invalidateQueries({ queryKey: ['treatments'] });
      navigate(`/behandlare/behandlingar/${encodeURIComponent(treatment.id)}${existing ? '?befintlig=1' : ''}`);
    },
    onError: (err) => {
      const errors: Partial<Record<Field, string>> = {};
      if (err instanceof ApiError) {
        for (const e of err.problem.errors ?? []) {
          const f = e.field as Field;
          errors[f] = fieldWords[f] ?? e.message;
        }
        if (err.problem.status === 409) {
          setFormError(`Invånaren har redan en pågående behandling i programmet på en annan vårdenhet. Den behöver avslutas där innan en ny kan startas här.`);
        } else setFormError(Object.keys(errors).length ? 'Rätta uppgifterna som är markerade nedan.' : errorText(err));
      } else setFormError(errorText(err));
      setFieldErrors(errors);
      // Focus the first field in error (else the message above the form).
      requestAnimationFrame(() => {
        const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? formRef.current?.querySelector<HTMLElement>('.form-error');
        first?.focus();
      });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFieldErrors({});
    setFormError(null);
    start.mutate();
  };

  const input = (field: Field, key: keyof typeof values, label: string, props: { type?: string; autoComplete?: string; required?: boolean; hint?: string } = {}) => {
    const error = fieldErrors[field];
    const describedBy = [props.hint ? `${id(field)}-hint` : '', error ? `${id(field)}-error` : ''].filter(Boolean).join(' ') || undefined;
    return (
      <div className="field">
        <label htmlFor={id(field)}>{label}</label>
        {props.hint && <span className="hint" id={`${id(field)}-hint`}>{props.hint}</span>}
        {error && <span className="field-error" id={`${id(field)}-error`}>{error}</span>}
        <input
          id={id(field)} type={props.type ?? 'text'} autoComplete={props.autoComplete ?? 'off'} required={props.required}
          value={values[key]} aria-invalid={error ? true : undefined} aria-describedby={describedBy}
          onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
        />
      </div>
    );
  };

  return (
    <div className="narrow">
      <h1>Starta ny behandling</h1>
      <form ref={formRef} onSubmit={submit} noValidate className="stack">
        {formError && <p className="error form-error" role="alert" tabIndex={-1}>{formError}</p>}
        {input('personnummer', 'personnummer', 'Personnummer', { required: true, hint: 'Obligatoriskt. 12 siffror: ÅÅÅÅMMDD-NNNN' })}
        <div className="field">
          <label htmlFor={id('programId')}>Program</label>
          {fieldErrors.programId && <span className="field-error" id={`${id('programId')}-error`}>{fieldErrors.programId}</span>}
          <select id={id('programId')} value={values.programId} onChange={(e) => setValues((v) => ({ ...v, programId: e.target.value }))}>
            <option value="tobakshjalpen">Tobakshjälpen</option>
          </select>
        </div>
        {careUnits.length > 1 && (
          <div className="field">
            <label htmlFor={id('careUnitId')}>Vårdenhet</label>
            {fieldErrors.careUnitId && <span className="field-error" id={`${id('careUnitId')}-error`}>{fieldErrors.careUnitId}</span>}
            <select id={id('careUnitId')} value={values.careUnitId} onChange={(e) => setValues((v) => ({ ...v, careUnitId: e.target.value }))}>
              {careUnits.map((u) => <option key={u} value={u}>{u}</option>)}
            </select>
          </div>
        )}
        {input('patient.name', 'name', 'Namn', { autoComplete: 'name' })}
        {input('patient.phone', 'phone', 'Mobilnummer', { type: 'tel', autoComplete: 'tel' })}
        {input('patient.email', 'email', 'E-post', { type: 'email', autoComplete: 'email' })}
        <div className="field">
          <label htmlFor={id('text')}>Välkomsttext</label>
          <span className="hint" id={`${id('text')}-hint`}>Visas för invånaren överst i programmet.</span>
          {fieldErrors.text && <span className="field-error" id={`${id('text')}-error`}>{fieldErrors.text}</span>}
          <textarea id={id('text')} rows={5} value={values.welcome} aria-describedby={`${id('text')}-hint`} onChange={(e) => setValues((v) => ({ ...v, welcome: e.target.value }))} />
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={start.isPending}>Starta</button>
          <button type="button" onClick={() => navigate('/behandlare')}>Avbryt</button>
        </div>
        {start.isPending && <p role="status">Startar behandlingen …</p>}
      </form>
    </div>
  );
}
