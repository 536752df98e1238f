// A confirmation in a native modal <dialog>: focus stays inside it and Escape cancels
// (its cancel event); Tab wraps among its controls. What the action does is said in the dialog itself; Bekräfta and Avbryt.
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { ErrorText } from './ErrorText';

/** Tab and Shift+Tab wrap among the dialog's controls (a modal dialog would otherwise let focus leave for the browser's own controls). */
export function keepFocusInside(e: KeyboardEvent<HTMLDialogElement>) {
  if (e.key !== 'Tab') return;
  const controls = [...e.currentTarget.querySelectorAll<HTMLElement>('button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])')];
  const first = controls[0];
  const last = controls[controls.length - 1];
  if (!first || !last) return;
  const active = e.currentTarget.ownerDocument.activeElement;
  if (e.shiftKey && (active === first || !e.currentTarget.contains(active))) { e.preventDefault(); last.focus(); }
  else if (!e.shiftKey && active === last) { e.preventDefault(); first.focus(); }
}

export function ConfirmDialog({ open, title, children, confirmText = 'Bekräfta', busy, error, onConfirm, onCancel }: {
  open: boolean; title: string; children: ReactNode; confirmText?: string; busy?: boolean; error?: unknown;
  onConfirm: () => void; onCancel: () => void;
}) {
  const base = useId();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} onKeyDown={keepFocusInside} aria-labelledby={`${base}-h`} aria-describedby={`${base}-d`} onCancel={(e) => { e.preventDefault(); onCancel(); }} onClose={() => { if (open) onCancel(); }}>
      <h2 id={`${base}-h`}>{title}</h2>
      <div id={`${base}-d`}>{children}</div>
      {error ? <ErrorText error={error} /> : null}
      <div className="actions">
        <button type="button" className="danger" disabled={busy} onClick={onConfirm}>{confirmText}</button>
        <button type="button" onClick={onCancel}>Avbryt</button>
      </div>
    </dialog>
  );
}
