// A program's shape: modules, forms, end reasons and durations, and the part of it a treatment
// runs on (its plan, frozen at start). Pure: the loading from programs/*.json is infra/programs.ts.
import { z } from 'zod';
import { isValidDuration } from './durations';
import { FLAG_TYPES, type TreatmentPlan } from './types';

const isoDuration = z.string().refine(isValidDuration, 'must be an ISO 8601 duration such as P14D');

/** One question of a form; the patient's forms are rendered from it. */
export const questionSchema = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  type: z.enum(['text', 'number', 'boolean', 'date', 'single-choice', 'multi-choice']),
  required: z.boolean().default(false),
  options: z.array(z.string()).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  maxLength: z.number().int().positive().optional(),
});

const form = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  recordsQuitDate: z.string().optional(),
  recordsTobaccoStatus: z.boolean().optional(),
  /** Avslutningsfrågor: answers count in the statistics (asked, answered). */
  closingQuestions: z.boolean().optional(),
  questions: z.array(questionSchema),
});

const moduleSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  kind: z.enum(['intro', 'step', 'individual']),
  openAtStart: z.boolean().default(false),
  workDuration: isoDuration.optional(),
  /** False for informational modules (Inledning, Bra att veta): no work time, never closed, never flagged. */
  hasWorkTime: z.boolean().default(true),
  followUpIndex: z.number().int().min(0).optional(),
  /** Forms not sent are reminded like a follow-up (step 4, step 7's closing questions); release 1.2. */
  remindUnanswered: z.boolean().default(false),
  /** A section's text is Markdown (a safe subset is rendered: paragraphs, lists, emphasis, links; raw HTML is not). */
  sections: z.array(z.object({ id: z.string().min(1), title: z.string().min(1), body: z.string().optional() })),
  forms: z.array(form),
});

export const programSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  version: z.number().int().positive(),
  defaultWelcomeText: z.string(),
  durations: z.object({
    moduleWork: isoDuration,
    inactivityFlag: isoDuration,
    followUps: z.array(isoDuration).min(1),
    followUpReminder: isoDuration,
    followUpEscalation: isoDuration,
    notStarted: isoDuration.default('P7D'),
    maintenance: isoDuration,
    retention: isoDuration,
  }),
  endReasons: z.array(z.object({ id: z.string().min(1), title: z.string().min(1) })).min(1),
  /** Each flag type's severity: "informativ" (info) or "bör agera" (action). */
  flagSeverity: z.partialRecord(z.enum(FLAG_TYPES), z.enum(['info', 'action'])).default({}),
  modules: z.array(moduleSchema).min(1),
});

export type Program = z.infer<typeof programSchema>;
export type ProgramModule = Program['modules'][number];
export type ProgramForm = ProgramModule['forms'][number];

/** The part of a program a treatment runs on, frozen into the workflow at start. */
export function planOf(program: Program): TreatmentPlan {
  return {
    programId: program.id,
    programVersion: program.version,
    calendar: 'offsets',
    durations: {
      moduleWork: program.durations.moduleWork,
      inactivityFlag: program.durations.inactivityFlag,
      followUps: program.durations.followUps,
      followUpReminder: program.durations.followUpReminder,
      followUpEscalation: program.durations.followUpEscalation,
      notStarted: program.durations.notStarted,
      maintenance: program.durations.maintenance,
      retention: program.durations.retention,
    },
    endReasonIds: program.endReasons.map((r) => r.id),
    modules: program.modules.map((m) => ({
      id: m.id,
      kind: m.kind,
      openAtStart: m.openAtStart,
      ...(m.workDuration ? { workDuration: m.workDuration } : {}),
      ...(m.hasWorkTime ? {} : { noWorkTime: true }),
      ...(m.followUpIndex !== undefined ? { followUpIndex: m.followUpIndex } : {}),
      ...(m.remindUnanswered ? { remindUnanswered: true } : {}),
      sectionIds: m.sections.map((s) => s.id),
      formIds: m.forms.map((f) => f.id),
    })),
  };
}
