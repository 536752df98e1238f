// Tobakshjälpen: the welcome text and one region per module the patient may see (never locked
// ones), with its sections (reading one records progress) and its forms.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { date, dateTime, moduleStateText, progressText } from '../format';
import { ErrorText } from '../pages/common';
import { Link } from '../router';
import type { PatientModule, PatientTreatment } from './api';
import { Markdown } from './Markdown';
import { QuestionForm } from './QuestionForm';
import { ReadOnlyNotice } from './Notice';

function Section({ module, section, readOnly }: { module: PatientModule; section: PatientModule['sections'][number]; readOnly: boolean }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const progress = useMutation({
    mutationFn: (p: 'started' | 'finished') => unwrap(api.POST('/api/me/treatment/modules/{moduleId}/sections/{sectionId}', {
      params: { path: { moduleId: module.id, sectionId: section.id } }, body: { progress: p },
    })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me'] }),
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

/** Steg 5–7 (docs/clinical.md, follow-up): a reminder after durations.followUpReminder, then the clinician is told at the deadline. */
function FollowUpNotice({ module }: { module: PatientModule }) {
  const answered = module.forms.length > 0 && module.forms.every((f) => f.submittedAt);
  return (
    <div className="notice follow-up">
      <p><strong>Det här är en uppföljning.</strong> Vi vill veta hur det går för dig med tobaken nu, oavsett hur det har gått.</p>
      {answered
        ? <p>Tack, du har svarat på uppföljningen.</p>
        : <p>Svara på frågorna nedan{module.deadline ? ` senast ${date(module.deadline)}` : ''}. Om du inte har svarat får du en påminnelse via SMS eller e-post (så som du valt under Inställningar), och om du inte svarar alls får din behandlare veta det och kan höra av sig.</p>}
    </div>
  );
}

function Module({ module, me }: { module: PatientModule; me: PatientTreatment }) {
  const queryClient = useQueryClient();
  const headingId = `module-${module.id}`;
  const writable = !me.readOnly && module.state === 'open';
  return (
    <section aria-labelledby={headingId} className={`card module${me.currentModuleId === module.id ? ' current' : ''}`}>
      <h2 id={headingId}>{module.title}</h2>
      <p className="module-state">
        <span className={`badge progress-${module.progress}`}>{moduleStateText(module)}</span>
        {me.currentModuleId === module.id && <span className="badge current">Aktuell</span>}
        {module.state === 'open' && module.deadline && <span className="muted">{module.daysLeft !== null ? `${module.daysLeft} dagar kvar, ` : ''}till och med {date(module.deadline)}</span>}
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
      {module.forms.map((f) => (
        <div key={f.id} className="form-block">
          <h3>{f.title}</h3>
          {f.submittedAt && <p className="muted">Skickat {dateTime(f.submittedAt)}.</p>}
          <QuestionForm
            label={f.title}
            groups={[{ key: null, questions: f.questions }]}
            disabled={!writable}
            onSubmit={async (answers) => {
              await unwrap(api.POST('/api/me/treatment/modules/{moduleId}/forms/{formId}', { params: { path: { moduleId: module.id, formId: f.id } }, body: { answers } }));
              await queryClient.invalidateQueries({ queryKey: ['me'] });
            }}
          />
        </div>
      ))}
    </section>
  );
}

/** "1 nytt", "3 nya": the clinician's messages not yet read. */
export const unreadText = (n: number) => (n === 1 ? '1 nytt' : `${n} nya`);

export function Home({ me }: { me: PatientTreatment }) {
  return (
    <>
      <h1>Tobakshjälpen</h1>
      <ReadOnlyNotice me={me} />
      {me.unreadMessages > 0 && (
        <p className="notice unread-notice">
          Du har {me.unreadMessages === 1 ? 'ett nytt meddelande' : `${me.unreadMessages} nya meddelanden`} från din behandlare. <Link to="/invanare/meddelanden">Läs i Meddelanden</Link>
        </p>
      )}
      {me.welcomeText && <div className="card welcome"><h2 className="sr-only">Välkommen</h2><p className="text">{me.welcomeText}</p></div>}
      <div className="patient-modules">
        {me.modules.filter((m) => m.state !== 'locked').map((m) => <Module key={m.id} module={m} me={me} />)}
      </div>
    </>
  );
}
