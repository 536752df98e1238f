// A form rendered from the program's questions (every question type the program data has: text,
// number, boolean, date, single-choice, multi-choice). The API validates; its words are shown next
// to the field they name, and nothing typed is lost when a submission fails.
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { errorText } from '../pages/common';
import type { Question } from './api';

type Value = string | string[];
type Values = Record<string, Value>;

export interface QuestionGroup { key: string | null; title?: string; questions: Question[] }

/** The program's option ids in words, where they are ids rather than words. */
const optionWords: Record<string, string> = { 'tobacco-free': 'Tobaksfri', reduced: 'Minskad', unchanged: 'Oförändrad' };
export const optionText = (o: string) => optionWords[o] ?? o.charAt(0).toUpperCase() + o.slice(1);

/** The API's validation messages (zod's, in English) in Swedish where the pattern is known; else as the API said. */
export function fieldWords(message: string): string {
  let m: RegExpExecArray | null;
  if ((m = /expected number to be <=\s*(-?[\d.]+)/.exec(message))) return `Ange högst ${m[1]}.`;
  if ((m = /expected number to be >=\s*(-?[\d.]+)/.exec(message))) return `Ange minst ${m[1]}.`;
  if ((m = /expected string to have <=\s*(\d+)/.exec(message))) return `Högst ${m[1]} tecken.`;
  if (/expected string to have >=1/.test(message)) return 'Frågan måste besvaras.';
  if (/received undefined/.test(message)) return 'Frågan måste besvaras.';
  if (/expected number/.test(message)) return 'Ange ett tal.';
  if (/choose at least one option/.test(message)) return 'Välj minst ett alternativ.';
  if (/must be a date|is not a real date/.test(message)) return 'Ange ett datum (ÅÅÅÅ-MM-DD).';
  return message;
}

const pathOf = (g: QuestionGroup, q: Question) => (g.key ? `${g.key}.${q.id}` : q.id);

function toAnswer(q: Question, v: Value | undefined): unknown {
  if (q.type === 'multi-choice') {
    const arr = Array.isArray(v) ? v : [];
    return arr.length || q.required ? arr : undefined;
  }
  const s = typeof v === 'string' ? v : '';
  if (q.type === 'text') return s.trim() || q.required ? s : undefined;
  if (s === '') return undefined;
  if (q.type === 'number') {
    const n = Number(s.replace(',', '.'));
    return Number.isFinite(n) ? n : s;
  }
  if (q.type === 'boolean') return s === 'true';
  return s;
}

export function answersOf(groups: QuestionGroup[], values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const g of groups) {
    const target: Record<string, unknown> = g.key ? ((out[g.key] as Record<string, unknown> | undefined) ?? (out[g.key] = {}) as Record<string, unknown>) : out;
    for (const q of g.questions) {
      const a = toAnswer(q, values[pathOf(g, q)]);
      if (a !== undefined) target[q.id] = a;
    }
  }
  return out;
}

export function QuestionForm({ groups, disabled, onSubmit, done, label }: {
  groups: QuestionGroup[];
  disabled?: boolean;
  onSubmit: (answers: Record<string, unknown>) => Promise<unknown>;
  /** Shown under the form once sent (e.g. "Skickat 2026-05-01 10:00"). */
  done?: ReactNode;
  /** The form's accessible name. */
  label: string;
}) {
  const base = useId().replace(/:/g, '');
  const [values, setValues] = useState<Values>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const id = (path: string) => `${base}-${path.replace(/[^a-zA-Z0-9-]/g, '-')}`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (disabled || pending) return;
    setErrors({}); setFormError(null); setSent(false); setPending(true);
    try {
      await onSubmit(answersOf(groups, values));
      setSent(true);
    } catch (err) {
      const next: Record<string, string> = {};
      const paths = groups.flatMap((g) => g.questions.map((q) => pathOf(g, q)));
      let unplaced = false;
      if (err instanceof ApiError) {
        for (const fe of err.problem.errors ?? []) {
          const p = paths.find((path) => fe.field === `answers.${path}`);
          if (p) next[p] ??= fieldWords(fe.message);
          else unplaced = true;
        }
      }
      setErrors(next);
      if (err instanceof ApiError && err.problem.status === 409) setFormError('Det går inte att skicka nu: formuläret är stängt eller behandlingen kan bara läsas.');
      else if (Object.keys(next).length && !unplaced) setFormError('Rätta svaren som är markerade nedan.');
      else setFormError(errorText(err));
      requestAnimationFrame(() => {
        const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? formRef.current?.querySelector<HTMLElement>('.form-error');
        first?.focus();
      });
    } finally {
      setPending(false);
    }
  };

  const set = (path: string, v: Value) => setValues((old) => ({ ...old, [path]: v }));

  const field = (g: QuestionGroup, q: Question) => {
    const path = pathOf(g, q);
    const fid = id(path);
    const error = errors[path];
    const hintText = [q.required ? 'Obligatorisk.' : '', q.type === 'number' && q.min !== undefined && q.max !== undefined ? `Ett tal från ${q.min} till ${q.max}.` : '', q.type === 'multi-choice' ? 'Välj ett eller flera.' : ''].filter(Boolean).join(' ');
    const describedBy = [hintText ? `${fid}-hint` : '', error ? `${fid}-error` : ''].filter(Boolean).join(' ') || undefined;
    const hint = hintText ? <span className="hint" id={`${fid}-hint`}>{hintText}</span> : null;
    const err = error ? <span className="field-error" id={`${fid}-error`}>{error}</span> : null;
    const invalid = error ? true : undefined;
    const value = values[path];
    if (q.type === 'boolean' || q.type === 'single-choice' || q.type === 'multi-choice') {
      const options = q.type === 'boolean' ? [['true', 'Ja'], ['false', 'Nej']] : (q.options ?? []).map((o) => [o, optionText(o)]);
      const multi = q.type === 'multi-choice';
      const chosen = Array.isArray(value) ? value : [];
      return (
        <fieldset key={path} className="field choices" aria-describedby={describedBy}>
          <legend>{q.text}</legend>
          {hint}{err}
          {options.map(([v, text], i) => (
            <label key={v} className="check" htmlFor={`${fid}-${i}`}>
              <input
                id={`${fid}-${i}`} type={multi ? 'checkbox' : 'radio'} name={fid} value={v} aria-invalid={invalid}
                checked={multi ? chosen.includes(v!) : value === v}
                onChange={(e) => set(path, multi ? (e.target.checked ? [...chosen, v!] : chosen.filter((c) => c !== v)) : v!)}
              />
              {text}
            </label>
          ))}
        </fieldset>
      );
    }
    const common = {
      id: fid, value: typeof value === 'string' ? value : '', 'aria-invalid': invalid, 'aria-describedby': describedBy,
      onChange: (e: { target: { value: string } }) => set(path, e.target.value),
    };
    return (
      <div key={path} className="field">
        <label htmlFor={fid}>{q.text}</label>
        {hint}{err}
        {q.type === 'text' && <textarea rows={3} maxLength={q.maxLength} {...common} />}
        {q.type === 'number' && <input type="number" inputMode="decimal" min={q.min} max={q.max} {...common} />}
        {q.type === 'date' && <input type="date" {...common} />}
      </div>
    );
  };

  return (
    <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate className="stack question-form" aria-label={label}>
      {formError && <p className="error form-error" role="alert" tabIndex={-1}>{formError}</p>}
      <fieldset disabled={disabled} className="plain stack">
        {groups.map((g) => (
          g.title && groups.length > 1
            ? <fieldset key={g.key ?? ''} className="plain stack"><legend className="group-title">{g.title}</legend>{g.questions.map((q) => field(g, q))}</fieldset>
            : g.questions.map((q) => field(g, q))
        ))}
        <div className="actions">
          <button type="submit" className="primary" disabled={disabled || pending}>Skicka</button>
        </div>
      </fieldset>
      {pending && <p role="status">Skickar …</p>}
      {sent && <p role="status" className="ok">Tack! Dina svar är skickade.</p>}
      {!sent && done}
    </form>
  );
}
