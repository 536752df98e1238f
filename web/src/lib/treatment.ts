// One treatment as a clinician sees it (GET /api/treatments/{id}) and its program: read by the
// treatment page and each of its tabs. The keys are the ones live updates invalidate (api/live.ts).
import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { api } from '../api/client';
import type { components } from '../api/schema';
import { request } from './api';

export type Treatment = components['schemas']['Treatment'];
export type ModuleView = components['schemas']['Module'];
export type Program = components['schemas']['Program'];
export type ProgramForm = Program['modules'][number]['forms'][number];

export const treatmentKeys = {
  /** Mina patienter's list (every page and filter); api/live.ts invalidates it. */
  lists: ['treatments'],
  detail: (id: string) => queryOptions({
    queryKey: ['treatment', id],
    queryFn: () => request(api.GET('/api/treatments/{id}', { params: { path: { id } } })),
    refetchInterval: 300_000, // a fallback: new flags and messages arrive as live events
  }),
  /** The tabs' lists of one treatment, by their api/live.ts prefixes (each tab's own factory extends them). */
  timeline: (id: string) => ['timeline', id],
  flags: (id: string) => ['flags', id],
  conversations: (id: string) => ['conversations', id],
  forms: (id: string) => ['forms', id],
  program: (programId: string) => queryOptions({
    queryKey: ['program', programId],
    staleTime: Infinity,
    queryFn: () => request(api.GET('/api/programs/{programId}', { params: { path: { programId } } })),
  }),
};

export const useTreatment = (id: string) => useQuery(treatmentKeys.detail(id));
export const useProgram = (programId: string) => useQuery(treatmentKeys.program(programId));

/** Invited or active: the treatment may still be changed. */
export const writable = (t: Treatment) => t.status === 'invited' || t.status === 'active';

/** Every form of the program, for titles and question texts. */
export const programForms = (program: Program | undefined): ProgramForm[] => (program?.modules ?? []).flatMap((m) => m.forms);

/** A command on the treatment: its answer is the treatment; the page, its timeline and the list are refetched. */
export function useTreatmentCommand<V>(t: Treatment, run: (v: V) => Promise<Treatment | void>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (data) => {
      if (data) qc.setQueryData(treatmentKeys.detail(t.id).queryKey, data);
      void qc.invalidateQueries({ queryKey: treatmentKeys.detail(t.id).queryKey });
      void qc.invalidateQueries({ queryKey: treatmentKeys.timeline(t.id) });
      void qc.invalidateQueries({ queryKey: treatmentKeys.lists });
    },
  });
}

/**
 * Resolves once no query under `queryKey` is fetching: a read in flight may change what another
 * list shows (reading the conversations marks their message flags read).
 */
export function whenSettled(qc: QueryClient, queryKey: QueryKey): Promise<void> {
  if (qc.isFetching({ queryKey }) === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const unsubscribe = qc.getQueryCache().subscribe(() => {
      if (qc.isFetching({ queryKey }) === 0) { unsubscribe(); resolve(); }
    });
  });
}
