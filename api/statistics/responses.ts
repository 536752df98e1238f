// The answer of Statistik: every count under 5 is the string "<5", and a rate from such a count is null.
import { z } from 'zod';

const count = z.union([z.number().int().min(0), z.literal('<5')]);
const rate = z.number().min(0).max(1).nullable();

export const statistics = z.object({
  filters: z.object({ careUnitId: z.string().nullable(), region: z.string().nullable(), programId: z.string().nullable(), from: z.string().nullable(), to: z.string().nullable() }),
  /** From the nightly snapshot (days before its night), with the days since from the store (`snapshot+live`), or live without a snapshot. */
  source: z.union([z.object({ kind: z.enum(['snapshot', 'snapshot+live']), date: z.string() }), z.object({ kind: z.literal('live') })]),
  started: count,
  /** Active at any time in the range. */
  active: count,
  ended: z.object({ total: count, byReason: z.record(z.string(), count) }),
  purged: count,
  moduleCompletion: z.array(z.object({ moduleId: z.string(), opened: count, completed: count, completionRate: rate })),
  /** Avslutningsfrågor: asked (the closing module opened) and answered. */
  closingQuestions: z.object({ asked: count, answered: count, responseRate: rate }),
  followUps: z.array(z.object({
    index: z.number().int(), after: z.string(), due: count, answered: count, responseRate: rate, tobaccoFree: count, tobaccoFreeRate: rate,
  })),
}).meta({ id: 'Statistics' });
