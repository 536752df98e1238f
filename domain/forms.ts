// Validates a patient's answers against the program's form definition, one zod schema per form.
import { z } from 'zod';
import type { ProgramForm } from './program';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function questionSchema(q: ProgramForm['questions'][number]): z.ZodType {
  switch (q.type) {
    case 'text':
      return z.string().trim().min(q.required ? 1 : 0).max(q.maxLength ?? 4000);
    case 'number': {
      let n = z.number().finite();
      if (q.min !== undefined) n = n.min(q.min);
      if (q.max !== undefined) n = n.max(q.max);
      return n;
    }
    case 'boolean':
      return z.boolean();
    case 'date':
      return z.string().regex(ISO_DATE, 'must be a date YYYY-MM-DD')
        .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a real date');
    case 'single-choice':
      return z.enum((q.options ?? []) as [string, ...string[]]);
    case 'multi-choice': {
      const arr = z.array(z.enum((q.options ?? []) as [string, ...string[]])).max(q.options?.length ?? 0);
      return q.required ? arr.min(1, 'choose at least one option') : arr;
    }
  }
}

export function answersSchema(form: ProgramForm) {
  const shape: Record<string, z.ZodType> = {};
  for (const q of form.questions) shape[q.id] = q.required ? questionSchema(q) : questionSchema(q).optional();
  return z.strictObject(shape);
}
