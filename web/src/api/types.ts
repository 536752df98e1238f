// The shapes the app reads, by the names the pages use: all generated from the API's OpenAPI
// document (schema.d.ts, its components.schemas), so the app and the API cannot drift.
import type { components } from './schema';

type Schemas = components['schemas'];

export type Treatment = Schemas['Treatment'];
export type TreatmentStatus = Treatment['status'];
export type TreatmentListItem = Schemas['TreatmentListItem'];
export type ModuleView = Schemas['Module'];
export type Conversation = Schemas['Conversation'];
export type Message = Schemas['Message'];
export type Flag = Schemas['Flag'];
export type TimelineEvent = Schemas['TimelineEntry'];
export type ActivityPlan = Schemas['ActivityPlan'];
export type ActivityPlanDetail = Schemas['ActivityPlanDetail'];
export type Occasion = Schemas['Occasion'];
export type FormSubmission = Schemas['FormSubmission'];
export type Program = Schemas['Program'];
export type Statistics = Schemas['Statistics'];
export type ClinicianSettings = Schemas['ClinicianSettings'];

/** A page of a list (the API's paged answers: items, total, page, pageSize). */
export interface Paged<T> { items: T[]; total: number; page?: number; pageSize?: number }
