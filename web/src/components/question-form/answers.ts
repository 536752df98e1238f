// The pure side of a program form: the fields of its questions, their checks (zod, in Swedish,
// the API's rules: required, number range, text length, a real date) and the answers the API takes.
// The API's own field errors are put in Swedish by lib/errors.ts (fieldText), by their reason.
import { z } from 'zod';
import type { Question } from '../../lib/me';

export interface QuestionGroup { key: string | null; title?: string; questions: Question[] }

/** One field of the form: `name` in the form's values, `path` in the answers the API takes. */
export interface QuestionField { name: string; path: string; group: QuestionGroup; question: Question }

/** A field's raw value: text, a chosen option (or none) or the chosen options. */
export type RawValue = string | string[] | null;
export type RawValues = Record<string, RawValue>;

export function fieldsOf(groups: QuestionGroup[]): QuestionField[] {
  let i = 0;
  return groups.flatMap((group) => group.questions.map((question) => ({
    name: `q${i++}`, path: group.key ? `${group.key}.${question.id}` : question.id, group, question,
  })));
}

/** The program's option ids in words, where they are ids rather than words. */
const optionWords: Record<string, string> = { 'tobacco-free': 'Tobaksfri', reduced: 'Minskad', unchanged: 'Oförändrad' };
export const optionText = (o: string) => optionWords[o] ?? o.charAt(0).toUpperCase() + o.slice(1);

const REQUIRED = 'Frågan måste besvaras.';
const text = (v: RawValue) => (typeof v === 'string' ? v : '');
const toNumber = (s: string) => Number(s.replace(',', '.'));
const isRealDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T12:00:00Z`).toISOString().startsWith(s);

/** The first thing wrong with one answer, in Swedish, or undefined. */
export function checkAnswer(q: Question, v: RawValue): string | undefined {
  if (q.type === 'multi-choice') return q.required && (!Array.isArray(v) || v.length === 0) ? 'Välj minst ett alternativ.' : undefined;
  const s = text(v).trim();
  if (s === '') return q.required ? REQUIRED : undefined;
  if (q.type === 'text' && q.maxLength !== undefined && s.length > q.maxLength) return `Högst ${q.maxLength} tecken.`;
  if (q.type === 'number') {
    const n = toNumber(s);
    if (!Number.isFinite(n)) return 'Ange ett tal.';
    if (q.max !== undefined && n > q.max) return `Ange högst ${q.max}.`;
    if (q.min !== undefined && n < q.min) return `Ange minst ${q.min}.`;
  }
  if (q.type === 'date' && !isRealDate(s)) return 'Ange ett datum (ÅÅÅÅ-MM-DD).';
  return undefined;
}

/** The form's zod schema: each field checked by checkAnswer, the message at the field. */
export function schemaOf(fields: QuestionField[]) {
  return z.record(z.string(), z.union([z.string(), z.array(z.string()), z.null()])).superRefine((values, ctx) => {
    for (const f of fields) {
      const message = checkAnswer(f.question, values[f.name] ?? null);
      if (message) ctx.addIssue({ code: 'custom', path: [f.name], message });
    }
  });
}

function toAnswer(q: Question, v: RawValue): unknown {
  if (q.type === 'multi-choice') {
    const arr = Array.isArray(v) ? v : [];
    return arr.length || q.required ? arr : undefined;
  }
  const s = text(v);
  if (q.type === 'text') return s.trim() || q.required ? s : undefined;
  if (s === '') return undefined;
  if (q.type === 'number') {
    const n = toNumber(s);
    return Number.isFinite(n) ? n : s;
  }
  if (q.type === 'boolean') return s === 'true';
  return s;
}

/** The answers the API takes: `{ questionId: value }`, or per group `{ groupKey: { questionId: value } }`. */
export function answersOf(fields: QuestionField[], values: RawValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const groups = new Map<string, Record<string, unknown>>();
  for (const f of fields) {
    const a = toAnswer(f.question, values[f.name] ?? null);
    if (a === undefined) continue;
    if (!f.group.key) { out[f.question.id] = a; continue; }
    let target = groups.get(f.group.key);
    if (!target) { target = {}; groups.set(f.group.key, target); out[f.group.key] = target; }
    target[f.question.id] = a;
  }
  return out;
}

/** The form's raw values from answers the API returned (Dina svar), to answer again from them. */
export function rawValuesOf(fields: QuestionField[], answers: Record<string, unknown>): RawValues {
  const out: RawValues = {};
  for (const f of fields) {
    const own = f.group.key ? answers[f.group.key] : answers;
    if (typeof own !== 'object' || own === null || Array.isArray(own)) continue;
    const v = (own as Record<string, unknown>)[f.question.id];
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) out[f.name] = v.filter((x): x is string => typeof x === 'string');
    else if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') out[f.name] = String(v);
  }
  return out;
}
