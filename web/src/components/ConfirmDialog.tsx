// A confirmation in a native modal <dialog>: the browser keeps focus inside it and Escape cancels
// (its cancel event). What the action does is said in the dialog itself; Bekräfta and Avbryt.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { ErrorText } from './ErrorText';

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
    <dialog ref={ref} aria-labelledby={`${base}-h`} aria-describedby={`${base}-d`} onCancel={(e) => { e.preventDefault(); onCancel(); }} onClose={() => { if (open) onCancel(); }}>
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
