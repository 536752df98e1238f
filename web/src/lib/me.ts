// The patient's treatment (GET /api/me/treatment), read by every patient page: its state
// (Vidmakthåll, ended) decides what a page may offer. Types from the API's OpenAPI document.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { components } from '../api/schema';
import { isStatus } from './errors';
import { request } from './api';

export type PatientTreatment = components['schemas']['PatientTreatment'];
export type PatientModule = components['schemas']['PatientModule'];
export type Question = components['schemas']['Question'];

/** Every patient query key starts with ['me']: invalidating it refreshes the patient's pages. */
const ME = ['me'];

export const meKeys = {
  all: ME,
  treatment: () => queryOptions({
    queryKey: ME,
    queryFn: () => request(api.GET('/api/me/treatment')),
    // Fresh on every page: the treatment's state decides what the page may offer.
    staleTime: 0,
  }),
};

/** The patient's treatment; the first call activates it. A 404 means there is none (ended). */
export const useMe = () => useQuery(meKeys.treatment());

export const isEnded = (error: unknown) => isStatus(error, 404);
