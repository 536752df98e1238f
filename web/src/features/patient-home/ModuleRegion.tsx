// One module the patient may see: its state, days left (Swedish days), its sections (reading one
// records progress) and its forms.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ErrorText } from '../../components/ErrorText';
import { Markdown } from '../../components/Markdown';
import { QuestionForm } from '../../components/question-form/QuestionForm';
import { meKeys, type PatientModule, type PatientTreatment } from '../../lib/me';
import { daysLeft, daysText } from '../../utils/dates';
import { date, moduleStateText, progressText } from '../../utils/format';
import { SentAnswers } from '../../components/question-form/SentAnswers';
import { deadlineText } from './deadline';
import { readSection, submitForm } from './queries';

function Section({ module, section, readOnly }: { module: PatientModule; section: PatientModule['sections'][number]; readOnly: boolean }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const progress = useMutation({
    mutationFn: (p: 'started' | 'finished') => readSection(module.id, section.id, p),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meKeys.all }),
  });
  const bodyId = `section-${module.id}-${section.id}`;
  const toggle = () => {
    const next = !open;
    setOpen(next);
    // Opening a section not yet read records that the patient started reading it.
    if (next && !readOnly && section.progress === 'none') progress.mutate('started');
  };
  return (
    <li className="section">
      <div className="section-head">
        <button type="button" className="link-button" aria-expanded={open} aria-controls={bodyId} onClick={toggle}>{section.title}</button>
        <span className={`badge progress-${section.progress}`}>{progressText[section.progress]}</span>
      </div>
      <div id={bodyId} hidden={!open} className="section-body">
        {section.body ? <Markdown text={section.body} className="section-text" /> : <p className="muted">Avsnittet har ingen text ännu.</p>}
        {!readOnly && section.progress !== 'finished' && (
          <button type="button" onClick={() => progress.mutate('finished')} disabled={progress.isPending}>Jag har läst avsnittet</button>
        )}
        {progress.error && <ErrorText error={progress.error} />}
      </div>
    </li>
  );
}

/**
 * Steg 5–7 (docs/clinical.md, follow-up): a reminder after durations.followUpReminder; at the
 * deadline the clinician is told (a flag) but the step does not close (domain/clock.ts). So no
 * "senast <datum>": the patient is asked to answer within the days before the clinician hears.
 */
function FollowUpNotice({ module }: { module: PatientModule }) {
  const answered = module.forms.length > 0 && module.forms.every((f) => f.submittedAt);
  const left = daysLeft(module.deadline, new Date());
  return (
    <div className="notice follow-up">
      <p><strong>Det här är en uppföljning.</strong> Vi vill veta hur det går för dig med tobaken nu, oavsett hur det har gått.</p>
      {answered
        ? <p>Tack, du har svarat på uppföljningen.</p>
        : <p>Svara gärna {left === null ? 'så snart du kan' : left === 0 ? 'i dag' : `inom ${daysText(left)}`}. Om du inte har svarat får du en påminnelse via SMS eller e-post (så som du valt under Inställningar), och om du inte svarar alls får din behandlare veta det och kan höra av sig. Du kan svara även efter det.</p>}
    </div>
  );
}

type PatientForm = PatientModule['forms'][number];

/** A form of the step: Dina svar once sent (with Svara igen while the step is open), the form while writing. */
function FormBlock({ module, form: f, writable, readOnly }: { module: PatientModule; form: PatientForm; writable: boolean; readOnly: boolean }) {
  const queryClient = useQueryClient();
  const sent = !!f.submittedAt && !!f.answers;
  const [editing, setEditing] = useState(false);
  const groups = [{ key: null, questions: f.questions }];
  const showForm = !sent || (editing && writable);
  return (
    <div className="form-block">
      <h3>{f.title}</h3>
      {sent && <SentAnswers groups={groups} answers={f.answers ?? {}} sentAt={f.submittedAt} />}
      {sent && writable && !editing && <button type="button" onClick={() => setEditing(true)}>Svara igen</button>}
      {!sent && !writable && !(readOnly && module.state === 'open') && <p className="muted">Du skickade inga svar på det här formuläret.</p>}
      {showForm && (writable || (readOnly && module.state === 'open')) && (
        <QuestionForm
          label={f.title}
          groups={groups}
          disabled={!writable}
          draftKey={writable ? `form:${module.id}:${f.id}` : undefined}
          answered={f.answers}
          onSubmit={async (answers) => {
            // The form stays on screen with its thanks once sent, Dina svar above it.
            setEditing(true);
            await submitForm(module.id, f.id, answers);
            await queryClient.invalidateQueries({ queryKey: meKeys.all });
          }}
        />
      )}
    </div>
  );
}

export function ModuleRegion({ module, me }: { module: PatientModule; me: PatientTreatment }) {
  const headingId = `module-${module.id}`;
  const writable = !me.readOnly && module.state === 'open';
  return (
    <section aria-labelledby={headingId} className={`card module${me.currentModuleId === module.id ? ' current' : ''}`}>
      <h2 id={headingId}>{module.title}</h2>
      <p className="module-state">
        <span className={`badge progress-${module.progress}`}>{moduleStateText(module)}</span>
        {me.currentModuleId === module.id && <span className="badge current">Aktuell</span>}
        {module.state === 'open' && module.deadline && !module.followUp && <span className="muted">{deadlineText(module.deadline, new Date())}</span>}
        {module.state === 'closed' && <span className="muted">Stängd: du kan läsa men inte skicka något.</span>}
        {module.state === 'completed' && <span className="muted">Avklarad</span>}
      </p>
      {module.id === 'step-2' && me.quitDate && <p>Ditt stoppdatum: <strong>{date(me.quitDate)}</strong></p>}
      {module.followUp && module.state === 'open' && <FollowUpNotice module={module} />}
      {module.sections.length > 0 && (
        <>
          <h3>Avsnitt</h3>
          <ul className="sections">{module.sections.map((s) => <Section key={s.id} module={module} section={s} readOnly={me.readOnly} />)}</ul>
        </>
      )}
      {module.forms.map((f) => <FormBlock key={f.id} module={module} form={f} writable={writable} readOnly={me.readOnly} />)}
    </section>
  );
}
