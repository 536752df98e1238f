// A form rendered from the program's questions (every question type the program data has: text,
// number, boolean, date, single-choice, multi-choice), checked at the field before sending
// (answers.ts, the API's rules) and by the API after: its words are shown next to the field they
// name, and nothing typed is lost when a submission fails.
import { Fragment, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { Controller, useForm, useWatch, type UseFormRegisterReturn } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { errorText, fieldErrorsOf } from '../../lib/errors';
import { FormError, focusFirstError } from '../Field';
import { clearDraft, readDraft, writeDraft } from './draft';
import { rawValuesOf, answersOf, fieldsOf, optionText, schemaOf, type QuestionField, type QuestionGroup, type RawValues } from './answers';

const isRawValues = (v: unknown): v is RawValues => typeof v === 'object' && v !== null && !Array.isArray(v)
  && Object.values(v).every((x) => x === null || typeof x === 'string' || (Array.isArray(x) && x.every((y) => typeof y === 'string')));
const isEmpty = (values: RawValues) => Object.values(values).every((v) => v === null || v === '' || (Array.isArray(v) && v.length === 0));

export function QuestionForm({ groups, disabled, onSubmit, done, label, draftKey, note, answered }: {
  groups: QuestionGroup[];
  disabled?: boolean;
  onSubmit: (answers: Record<string, unknown>) => Promise<unknown>;
  /** Shown under the form once sent (e.g. "Skickat 2026-05-01 10:00"). */
  done?: ReactNode;
  /** The form's accessible name. */
  label: string;
  /** Where what is typed is kept (sessionStorage) until sent: a page change or a reload loses nothing. */
  draftKey?: string;
  /** Shown above the fields (e.g. that the time to answer has passed). */
  note?: ReactNode;
  /** The answers sent before (Dina svar), to start from when answering again. */
  answered?: Record<string, unknown> | null;
}) {
  const base = useId().replace(/:/g, '');
  const fields = useMemo(() => fieldsOf(groups), [groups]);
  const schema = useMemo(() => schemaOf(fields), [fields]);
  const defaultValues = useMemo(() => Object.fromEntries(fields.map((f) => [f.name, f.question.type === 'multi-choice' ? [] : f.question.type === 'text' || f.question.type === 'number' || f.question.type === 'date' ? '' : null])), [fields]);
  // Where the form starts: empty, or the answers sent before; a draft of this tab over that.
  const [start] = useState<RawValues>(() => ({ ...defaultValues, ...(answered ? rawValuesOf(fields, answered) : {}) }));
  const [initial] = useState(() => ({ ...start, ...readDraft(draftKey, isRawValues) }));
  const { register, control, handleSubmit, setError, getValues, formState: { errors, isSubmitting } } = useForm<RawValues>({ resolver: zodResolver(schema), defaultValues: initial });
  const values = useWatch({ control });
  const lastWritten = useRef(JSON.stringify(initial));
  useEffect(() => {
    if (!draftKey || !isRawValues(values)) return;
    // Only a change of what is typed writes the draft (not a new render of the same values, e.g. after sending).
    const json = JSON.stringify(values);
    if (json === lastWritten.current) return;
    lastWritten.current = json;
    const unchanged = fields.every((f) => JSON.stringify(values[f.name] ?? null) === JSON.stringify(start[f.name] ?? null));
    writeDraft(draftKey, values, isEmpty(values) || unchanged);
  }, [values, draftKey, fields, start]);
  const [formError, setFormError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const send = async (values: RawValues) => {
    if (disabled) return;
    setFormError(null); setSent(false);
    try {
      await onSubmit(answersOf(fields, values));
      lastWritten.current = JSON.stringify(getValues());
      clearDraft(draftKey);
      setSent(true);
    } catch (err) {
      // Each error at its question, in Swedish by its reason (lib/errors.ts); the form's state (closed,
      // read-only, the time passed) by the problem's type.
      const placed = fieldErrorsOf(err, Object.fromEntries(fields.map((f) => [`answers.${f.path}`, f.name])));
      for (const [name, message] of placed.errors) setError(name, { type: 'server', message });
      if (placed.errors.length && !placed.unplaced) setFormError('Rätta svaren som är markerade nedan.');
      else setFormError(errorText(err));
      focusFirstError(formRef.current);
    }
  };
  const invalid = () => { setSent(false); setFormError('Rätta svaren som är markerade nedan.'); };

  const field = (f: QuestionField) => {
    const { question: q } = f;
    const fid = `${base}-${f.name}`;
    const error = errors[f.name]?.message;
    const hintText = [q.required ? 'Obligatorisk.' : '', q.type === 'number' && q.min !== undefined && q.max !== undefined ? `Ett tal från ${q.min} till ${q.max}.` : '', q.type === 'multi-choice' ? 'Välj ett eller flera.' : ''].filter(Boolean).join(' ');
    const describedBy = [hintText ? `${fid}-hint` : '', error ? `${fid}-error` : ''].filter(Boolean).join(' ') || undefined;
    const hint = hintText ? <span className="hint" id={`${fid}-hint`}>{hintText}</span> : null;
    const err = error ? <span className="field-error" id={`${fid}-error`}>{error}</span> : null;
    const ariaInvalid = error ? true : undefined;
    if (q.type === 'boolean' || q.type === 'single-choice' || q.type === 'multi-choice') {
      const options = q.type === 'boolean' ? [['true', 'Ja'], ['false', 'Nej']] : (q.options ?? []).map((o) => [o, optionText(o)]);
      const choice = (v: string, text: string, i: number, input: ReactNode) => (
        <label key={v} className="check" htmlFor={`${fid}-${i}`}>{input}{text}</label>
      );
      return (
        <fieldset key={f.name} className="field choices" aria-describedby={describedBy}>
          <legend>{q.text}</legend>
          {hint}{err}
          {q.type === 'multi-choice'
            ? <Controller control={control} name={f.name} render={({ field: c }) => (
              <>{options.map(([v = '', text = ''], i) => {
                const chosen = Array.isArray(c.value) ? c.value : [];
                return choice(v, text, i, <input id={`${fid}-${i}`} type="checkbox" name={c.name} value={v} aria-invalid={ariaInvalid} checked={chosen.includes(v)}
                  onBlur={c.onBlur} onChange={(e) => c.onChange(e.target.checked ? [...chosen, v] : chosen.filter((x) => x !== v))} />);
              })}</>
            )} />
            : options.map(([v = '', text = ''], i) => choice(v, text, i, <input id={`${fid}-${i}`} type="radio" value={v} {...register(f.name)} />))}
        </fieldset>
      );
    }
    const common: UseFormRegisterReturn & { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined } = {
      id: fid, 'aria-invalid': ariaInvalid, 'aria-describedby': describedBy, ...register(f.name),
    };
    return (
      <div key={f.name} className="field">
        <label htmlFor={fid}>{q.text}</label>
        {hint}{err}
        {q.type === 'text' && <textarea rows={3} maxLength={q.maxLength} {...common} />}
        {q.type === 'number' && <input type="number" inputMode="decimal" min={q.min} max={q.max} {...common} />}
        {q.type === 'date' && <input type="date" {...common} />}
      </div>
    );
  };

  return (
    <form ref={formRef} onSubmit={(e) => void handleSubmit(send, invalid)(e)} noValidate className="stack question-form" aria-label={label}>
      {note}
      <FormError text={formError} />
      <fieldset disabled={disabled} className="plain stack">
        {groups.map((g) => {
          const own = fields.filter((f) => f.group === g);
          return g.title && groups.length > 1
            ? <fieldset key={g.key ?? ''} className="plain stack"><legend className="group-title">{g.title}</legend>{own.map(field)}</fieldset>
            : <Fragment key={g.key ?? ''}>{own.map(field)}</Fragment>;
        })}
        <div className="actions">
          <button type="submit" className="primary" disabled={disabled || isSubmitting}>Skicka</button>
        </div>
      </fieldset>
      {isSubmitting && <p role="status">Skickar …</p>}
      {sent && <p role="status" className="ok">Tack! Dina svar är skickade.</p>}
      {!sent && done}
    </form>
  );
}
