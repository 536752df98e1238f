// A new plan, or with `plan` an edit of one (PUT: the schedule and answer window apply to the
// occasions still to come). Checked at the field; the API's field errors at the field they name.
import { useId } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ErrorText } from '../../components/ErrorText';
import { Field } from '../../components/Field';
import { send } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/errors';
import { programForms, useProgram, type Treatment } from '../../lib/treatment';
import { planApiFields, planBody, planSchema, planWords, weekdayText, WEEKDAYS, type PlanValues } from './plan';

type ActivityPlan = components['schemas']['ActivityPlan'];

export function PlanForm({ t, plan, onDone, onCancel }: { t: Treatment; plan?: ActivityPlan; onDone: () => void; onCancel: () => void }) {
  const base = useId();
  const program = useProgram(t.programId);
  const forms = programForms(program.data);
  const { register, handleSubmit, setError, formState: { errors } } = useForm<PlanValues>({
    resolver: zodResolver(planSchema),
    values: {
      title: plan?.title ?? '',
      formId: plan?.elements[0]?.formId ?? forms[0]?.id ?? '',
      weekdays: plan?.schedule.weekdays ?? [],
      times: plan?.schedule.times.join(', ') ?? '08:00',
      weeks: String(plan?.schedule.weeks ?? 4),
      answerWindowDays: String(plan?.answerWindowDays ?? 1),
    },
    resetOptions: { keepDirtyValues: true },
  });
  const save = useMutation({
    mutationFn: (v: PlanValues) => (plan
      ? send(api.PUT('/api/treatments/{id}/activity-plans/{planId}', { params: { path: { id: t.id, planId: plan.id } }, body: planBody(v) }))
      : send(api.POST('/api/treatments/{id}/activity-plans', { params: { path: { id: t.id } }, body: planBody(v) }))),
    onSuccess: onDone,
    onError: (err) => {
      for (const [field, message] of fieldErrorsOf(err, planApiFields, planWords).errors) setError(field, { type: 'server', message });
    },
  });
  const weekdayError = errors.weekdays?.message;
  return (
    <form className="card stack" noValidate aria-label={plan ? `Ändra ${plan.title}` : 'Ny aktivitetsplan'} onSubmit={(e) => void handleSubmit((v) => save.mutate(v))(e)}>
      <Field id={`${base}-title`} label="Rubrik" error={errors.title?.message}>
        {(control) => <input {...control} {...register('title')} />}
      </Field>
      <Field id={`${base}-form`} label="Innehåll (formulär)" error={errors.formId?.message}>
        {(control) => <select {...control} {...register('formId')}>{forms.map((f) => <option key={f.id} value={f.id}>{f.title}</option>)}</select>}
      </Field>
      <fieldset aria-describedby={weekdayError ? `${base}-weekdays-error` : undefined}>
        <legend>Veckodagar</legend>
        {weekdayError && <span className="field-error" id={`${base}-weekdays-error`}>{weekdayError}</span>}
        <div className="actions">
          {WEEKDAYS.map((d) => (
            <div className="check" key={d}>
              <input id={`${base}-${d}`} type="checkbox" value={d} aria-invalid={weekdayError ? true : undefined} {...register('weekdays')} />
              <label htmlFor={`${base}-${d}`}>{weekdayText[d]}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <Field id={`${base}-times`} label="Tider" hint="TT:MM, flera med komma, till exempel 08:00, 20:00" error={errors.times?.message}>
        {(control) => <input {...control} {...register('times')} />}
      </Field>
      <Field id={`${base}-weeks`} label="Antal veckor" error={errors.weeks?.message}>
        {(control) => <input {...control} type="number" min={1} max={104} {...register('weeks')} />}
      </Field>
      <Field id={`${base}-window`} label="Svarstid i dagar" error={errors.answerWindowDays?.message}>
        {(control) => <input {...control} type="number" min={0} max={30} {...register('answerWindowDays')} />}
      </Field>
      {save.error && <ErrorText error={save.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>{plan ? 'Spara ändringar' : 'Spara aktivitetsplan'}</button>
        <button type="button" onClick={onCancel}>Avbryt</button>
      </div>
    </form>
  );
}
