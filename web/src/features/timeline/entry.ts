// A timeline entry's detail in words: a note's kind and text, Vidmakthåll for an end, else the module.
import type { components } from '../../api/schema';
import { flagText } from '../../utils/format';

export type TimelineEntry = components['schemas']['TimelineEntry'];
export type NoteKind = 'phone' | 'visit' | 'other';

export const NOTE_KINDS: Record<NoteKind, string> = { phone: 'Telefonsamtal', visit: 'Besök', other: 'Annan kontakt' };
const noteKinds: NoteKind[] = ['phone', 'visit', 'other'];
export const noteKind = (value: unknown): NoteKind | undefined => noteKinds.find((k) => k === value);

export function entryDetail(e: TimelineEntry, moduleTitle: (moduleId: string) => string | undefined): string {
  const data = e.data ?? {};
  if (e.type === 'note') {
    const kind = noteKind(data.kind);
    return `${kind ? NOTE_KINDS[kind] : ''}: ${typeof data.text === 'string' ? data.text : ''}`;
  }
  if (e.type === 'treatment_ended' && typeof data.reason === 'string') return data.maintenance ? 'med Vidmakthåll' : '';
  if (e.type === 'contact_changed') {
    const what = data.channel === 'email' ? 'E-post' : 'Mobilnummer';
    return `${what}, ändrat av ${data.by === 'patient' ? 'invånaren' : 'behandlaren'}`;
  }
  const module = (e.moduleId ? moduleTitle(e.moduleId) : undefined) ?? '';
  // A flag names its type: "Flagga – Nytt meddelande".
  if (e.type === 'flag_raised' && typeof data.flag === 'string') return module ? `${flagText(data.flag)}, ${module}` : flagText(data.flag);
  return module;
}

/** The submission a form's entry is about (sent or opened), whose answers Se historik shows. */
export const submissionOf = (e: TimelineEntry): string | null =>
  ((e.type === 'form_submitted' || e.type === 'form_opened') && e.ref ? e.ref : null);
