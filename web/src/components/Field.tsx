// A labelled field with its hint and its error tied to it (aria-describedby, aria-invalid): the
// control is given as a render function receiving those attributes.
import type { ReactNode } from 'react';

export interface FieldControlProps { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined }

export function Field({ id, label, hint, error, children }: {
  id: string; label: ReactNode; hint?: ReactNode; error?: string; children: (control: FieldControlProps) => ReactNode;
}) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && <span className="hint" id={`${id}-hint`}>{hint}</span>}
      {error && <span className="field-error" id={`${id}-error`}>{error}</span>}
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
    </div>
  );
}

/** A message above a form (role alert, focusable so a failed submit can move focus to it). */
export function FormError({ text }: { text: string | null }) {
  return text ? <p className="error form-error" role="alert" tabIndex={-1}>{text}</p> : null;
}

/** After a failed submit: focus the first field in error, else the message above the form. */
export function focusFirstError(form: HTMLFormElement | null) {
  requestAnimationFrame(() => {
    const first = form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('.form-error');
    first?.focus();
  });
}
