// Ny aktivitetsplan in the guide's three steps (1 Innehåll: one or more activities, 2 Schema:
// weekdays and times repeated for weeks from a Startdatum, 3 Inställningar: Rubrik and Svarstid),
// or with `plan` an edit of one (PUT: schedule and Svarstid apply to the occasions still to come;
// the start date stays). Each step is checked at its fields before the next opens; the API's field
// errors are put at the field they name, in Swedish, and the form goes back to that step. What was
// typed stays.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Controller, useFieldArray, useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { api, ApiError } from '../../api/client';
import type { components } from '../../api/schema';
import { ErrorText } from '../../components/ErrorText';
import { Field } from '../../components/Field';
import { send } from '../../lib/api';
import { programForms, useProgram, type ProgramForm, type Treatment } from '../../lib/treatment';
import { MAX_ELEMENTS, PLAN_STEPS, planBody, planFieldOf, planSchema, planWords, scheduleText, stepOf, swedishToday, weekdayText, WEEKDAYS, type PlanField, type PlanValues } from './plan';

type ActivityPlan = components['schemas']['ActivityPlan'];

export function PlanForm({ t, plan, onDone, onCancel }: { t: Treatment; plan?: ActivityPlan; onDone: () => void; onCancel: () => void }) {
  const program = useProgram(t.programId);
  if (!program.data) return program.error ? <ErrorText error={program.error} /> : <p role="status">Hämtar programmets aktiviteter …</p>;
  return <PlanSteps t={t} plan={plan} forms={programForms(program.data)} onDone={onDone} onCancel={onCancel} />;
}

function PlanSteps({ t, plan, forms, onDone, onCancel }: { t: Treatment; plan?: ActivityPlan; forms: ProgramForm[]; onDone: () => void; onCancel: () => void }) {
  const base = useId();
  const [step, setStep] = useState(0);
  const [moved, setMoved] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const { register, control, handleSubmit, clearErrors, setError, getValues, setValue, formState: { errors } } = useForm<PlanValues>({
    resolver: zodResolver(planSchema),
    defaultValues: {
      elements: plan?.elements.map((e) => ({ formId: e.formId })) ?? [{ formId: forms[0]?.id ?? '' }],
      weekdays: plan?.schedule.weekdays ?? [],
      times: plan?.schedule.times.join(', ') ?? '08:00',
      weeks: String(plan?.schedule.weeks ?? 4),
      startDate: plan ? '' : swedishToday(),
      title: plan?.title ?? '',
      answerWindowDays: String(plan?.answerWindowDays ?? 1),
    },
  });
  const elements = useFieldArray({ control, name: 'elements' });
  // A step that opens takes focus at its heading (not when the form first opens).
  useEffect(() => { if (moved) heading.current?.focus(); }, [step, moved]);
  const goTo = (next: number) => { setMoved(true); setStep(next); };
  const showFirstError = (fields: PlanField[]) => {
    const steps = fields.map(stepOf).filter((s) => s >= 0);
    if (steps.length) goTo(Math.min(...steps));
  };

  const save = useMutation({
    mutationFn: (v: PlanValues) => (plan
      ? send(api.PUT('/api/treatments/{id}/activity-plans/{planId}', { params: { path: { id: t.id, planId: plan.id } }, body: planBody(v, true) }))
      : send(api.POST('/api/treatments/{id}/activity-plans', { params: { path: { id: t.id } }, body: planBody(v) }))),
    onSuccess: onDone,
    onError: (err) => {
      const placed = new Set<PlanField>();
      if (err instanceof ApiError) {
        for (const e of err.problem.errors ?? []) {
          const field = planFieldOf(e.field);
          if (field && !placed.has(field)) { placed.add(field); setError(field, { type: 'server', message: planWords[field] }); }
        }
      }
      showFirstError([...placed]);
    },
  });

  /** The current step's fields checked (the whole schema, its issues on this step's fields only); the next step if they pass. */
  const next = () => {
    const fields = PLAN_STEPS[step]!.fields;
    const checked = planSchema.safeParse(getValues());
    const issues = new Map<PlanField, string>();
    for (const issue of checked.error?.issues ?? []) {
      const field = fields.find((f) => f === issue.path[0]);
      if (field && !issues.has(field)) issues.set(field, issue.message);
    }
    clearErrors(fields);
    for (const [field, message] of issues) setError(field, { type: 'validate', message });
    if (issues.size) return;
    // A new plan is named after its first activity unless the clinician names it.
    if (step === 0 && !plan && !getValues('title').trim()) setValue('title', forms.find((f) => f.id === getValues('elements')[0]?.formId)?.title ?? '');
    goTo(step + 1);
  };
  const last = PLAN_STEPS.length - 1;
  const saveAll = handleSubmit((v) => save.mutate(v), (errs) => showFirstError(Object.keys(errs) as PlanField[]));
  // Enter in an earlier step goes on to the next step; in the last one it saves.
  const onSubmit = (e: FormEvent) => { if (step < last) { e.preventDefault(); next(); } else void saveAll(e); };
  const problem = save.error instanceof ApiError ? save.error.problem : null;
  const placedAll = problem?.status === 400 && (problem.errors ?? []).length > 0 && (problem.errors ?? []).every((e) => planFieldOf(e.field));
  const elementsError = errors.elements?.message ?? errors.elements?.root?.message;
  const weekdayError = errors.weekdays?.message;
  const values = getValues();
  const titleOf = (formId: string) => forms.find((f) => f.id === formId)?.title ?? formId;
  return (
    <form className="card stack" noValidate aria-label={plan ? `Ändra ${plan.title}` : 'Ny aktivitetsplan'} onSubmit={onSubmit}>
      <ol className="steps" aria-label="Steg">
        {PLAN_STEPS.map((s, i) => <li key={s.title} aria-current={i === step ? 'step' : undefined}>{i + 1}. {s.title}</li>)}
      </ol>
      <h3 ref={heading} tabIndex={-1}>Steg {step + 1} av {PLAN_STEPS.length}: {PLAN_STEPS[step]!.title}</h3>

      {/* Every step stays in the form (hidden but for the current one), so each field keeps its value and its error. */}
      <div hidden={step !== 0}>
        <fieldset className="stack" aria-describedby={elementsError ? `${base}-elements-error` : `${base}-elements-hint`}>
          <legend>Aktiviteter som invånaren fyller i</legend>
          <span className="hint" id={`${base}-elements-hint`}>Välj en eller flera av programmets aktiviteter. Alla besvaras vid varje tillfälle.</span>
          {elementsError && <span className="field-error" id={`${base}-elements-error`}>{elementsError}</span>}
          {elements.fields.map((f, i) => (
            <div className="inline-form" key={f.id}>
              <Field id={`${base}-el-${i}`} label={i === 0 ? 'Aktivitet' : `Aktivitet ${i + 1}`} error={errors.elements?.[i]?.formId?.message}>
                {(c) => <select {...c} {...register(`elements.${i}.formId`)}>{forms.map((x) => <option key={x.id} value={x.id}>{x.title}</option>)}</select>}
              </Field>
              {i > 0 && <button type="button" onClick={() => elements.remove(i)}>Ta bort aktivitet {i + 1}</button>}
            </div>
          ))}
          {elements.fields.length < MAX_ELEMENTS && (
            <div className="actions">
              <button type="button" onClick={() => elements.append({ formId: forms.find((x) => !getValues('elements').some((e) => e.formId === x.id))?.id ?? forms[0]?.id ?? '' })}>Lägg till aktivitet</button>
            </div>
          )}
        </fieldset>
      </div>

      <div className="stack" hidden={step !== 1}>
        <fieldset aria-describedby={weekdayError ? `${base}-weekdays-error` : undefined}>
          <legend>Veckodagar</legend>
          {weekdayError && <span className="field-error" id={`${base}-weekdays-error`}>{weekdayError}</span>}
          <div className="actions">
            {/* One value, the chosen days (a Controller: the checkboxes are one field). */}
            <Controller control={control} name="weekdays" render={({ field }) => (
              <>
                {WEEKDAYS.map((d) => (
                  <div className="check" key={d}>
                    <input id={`${base}-${d}`} type="checkbox" name={field.name} value={d} checked={field.value.includes(d)} aria-invalid={weekdayError ? true : undefined}
                      onBlur={field.onBlur} onChange={(e) => field.onChange(e.target.checked ? [...field.value, d] : field.value.filter((x) => x !== d))} />
                    <label htmlFor={`${base}-${d}`}>{weekdayText[d]}</label>
                  </div>
                ))}
              </>
            )} />
          </div>
        </fieldset>
        <Field id={`${base}-times`} label="Tider" hint="TT:MM, flera med komma, till exempel 08:00, 20:00" error={errors.times?.message}>
          {(c) => <input {...c} {...register('times')} />}
        </Field>
        <Field id={`${base}-weeks`} label="Upprepa i antal veckor" error={errors.weeks?.message}>
          {(c) => <input {...c} type="number" min={1} max={104} {...register('weeks')} />}
        </Field>
        {plan
          ? <p><strong>Startdatum</strong> {plan.startDate} (ändras inte). Ändringar av schemat gäller de tillfällen som ännu inte har kommit.</p>
          : (
            <Field id={`${base}-start`} label="Startdatum" hint="Första dagen med tillfällen, från i dag och upp till ett år framåt." error={errors.startDate?.message}>
              {(c) => <input {...c} type="date" {...register('startDate')} />}
            </Field>
          )}
      </div>

      <div className="stack" hidden={step !== 2}>
        <Field id={`${base}-title`} label="Rubrik" hint="Visas för invånaren." error={errors.title?.message}>
          {(c) => <input {...c} {...register('title')} />}
        </Field>
        <Field id={`${base}-window`} label="Svarstid (dagar)" hint="Hur många dagar efter ett tillfälle invånaren kan svara, minst 1." error={errors.answerWindowDays?.message}>
          {(c) => <input {...c} type="number" min={1} max={30} {...register('answerWindowDays')} />}
        </Field>
        <div className="answers">
          <p><strong>Aktiviteter:</strong> {values.elements.map((e) => titleOf(e.formId)).join(', ')}</p>
          <p><strong>Schema:</strong> {values.weekdays.length ? scheduleText({
            schedule: { weekdays: WEEKDAYS.filter((d) => values.weekdays.includes(d)), times: values.times.split(',').map((x) => x.trim()).filter(Boolean), weeks: Number(values.weeks) },
            answerWindowDays: Number(values.answerWindowDays) || 0, startDate: plan?.startDate ?? values.startDate,
          }).replace(/; svar inom.*$/, '.') : '–'}</p>
        </div>
      </div>

      {save.error && !placedAll && <ErrorText error={save.error} />}
      <div className="actions">
        {step > 0 && <button type="button" onClick={() => goTo(step - 1)}>Tillbaka</button>}
        {step < last
          // Two elements (keys): Enter on Nästa must not become a submit when the button turns into Spara plan.
          ? <button key="next" type="button" className="primary" onClick={next}>Nästa</button>
          : <button key="save" type="submit" className="primary" disabled={save.isPending}>{plan ? 'Spara ändringar' : 'Spara plan'}</button>}
        <button type="button" onClick={onCancel}>Avbryt</button>
      </div>
    </form>
  );
}
