// Drafts of what a patient is writing (a form's answers, a message), kept in this tab's
// sessionStorage so that a page change or a reload loses nothing. Never sent anywhere; written only
// while something is typed, removed when sent or emptied. The tab's storage dies with the tab.
const PREFIX = 'utkast:';

export function readDraft<T>(key: string | undefined, valid: (v: unknown) => v is T): T | undefined {
  if (!key) return undefined;
  try {
    const raw = sessionStorage.getItem(PREFIX + key);
    if (raw === null) return undefined;
    const parsed: unknown = JSON.parse(raw);
    return valid(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function writeDraft(key: string | undefined, value: unknown, empty: boolean): void {
  if (!key) return;
  try {
    if (empty) sessionStorage.removeItem(PREFIX + key);
    else sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or refused: the draft lives on in the page only.
  }
}

export const clearDraft = (key: string | undefined) => writeDraft(key, null, true);

/** Every draft of this tab removed (at Logga ut). */
export function clearAllDrafts(): void {
  try {
    for (const k of Object.keys(sessionStorage)) if (k.startsWith(PREFIX)) sessionStorage.removeItem(k);
  } catch { /* nothing kept */ }
}
