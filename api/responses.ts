// The shapes every feature's answers share. Each feature declares the body of its answers beside
// its routes (api/<feature>/responses.ts); the OpenAPI document carries them, so a typed client can
// be generated from /openapi.json, and the suite checks every real answer against the document.
import { z } from 'zod';

/** An instant, always UTC (`…Z`). */
export const instant = z.iso.datetime();
/** A calendar date in Sweden. */
export const calendarDate = z.iso.date();

/** A paged list: `page` from 1, `pageSize`, and `total` over every page. */
export const paged = <T extends z.ZodType>(item: T) => z.object({
  items: z.array(item),
  total: z.number().int().min(0),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
});

/** A list that is not paged: it is short by construction. */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const treatmentStatus = z.enum(['invited', 'active', 'ended', 'maintenance', 'purged']);
export const flagSeverity = z.enum(['info', 'action']);
