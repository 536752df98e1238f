// The request shapes every feature shares: ids, paging, phone numbers, a treatment's :id. Each
// feature keeps its own request schemas beside its routes (api/<feature>/schemas.ts).
import { z } from 'zod';

export const id = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'may contain letters, digits and . _ : - only');

/** Every list pages: `page` (from 1) and `pageSize`; the answer says `total`. */
export const paging = (defaultSize: number, maxSize: number) => ({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(maxSize).default(defaultSize),
});

export const treatmentParams = z.object({ id: z.uuid('must be a treatment id') });

/** An e-mail address as format: email means it: at most 254 characters, of them at most 64 before the @ (RFC 5321). */
export const email = z.email().max(254).refine((v) => v.lastIndexOf('@') <= 64, 'must be an e-mail address (at most 64 characters before @)');

export const phone = z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number');
