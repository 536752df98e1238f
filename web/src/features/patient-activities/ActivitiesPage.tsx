// Aktiviteter: the occasions of the clinician's activity plans, with the plan's title and the
// questions to answer; due ones are answered with Skicka, answered and missed ones are listed.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorText } from '../../components/ErrorText';
import { QuestionForm } from '../../components/question-form/QuestionForm';
import { ReadOnlyNotice } from '../../components/ReadOnlyNotice';
import type { PatientTreatment } from '../../lib/me';
import { dateTime } from '../../utils/format';
import { activitiesKeys, answerOccasion, type Occasion } from './queries';

const stateText: Record<Occasion['state'], string> = { due: 'Att besvara', answered: 'Besvarad', missed: 'Missad' };

function OccasionCard({ occasion, readOnly }: { occasion: Occasion; readOnly: boolean }) {
  const queryClient = useQueryClient();
  const headingId = `occasion-${occasion.id}`;
  const title = occasion.title ?? 'Aktivitet';
  return (
    <section aria-labelledby={headingId} className="card">
      <h3 id={headingId}>{title}, {dateTime(occasion.dueAt)}</h3>
      <p className="module-state">
        <span className={`badge occasion-${occasion.state}`}>{stateText[occasion.state]}</span>
        {occasion.state === 'due' && <span className="muted">Svara senast {dateTime(occasion.answerBy)}</span>}
        {occasion.state === 'answered' && occasion.answeredAt && <span className="muted">Besvarad {dateTime(occasion.answeredAt)}</span>}
        {occasion.state === 'missed' && <span className="muted">Svarstiden gick ut {dateTime(occasion.answerBy)}</span>}
      </p>
      {occasion.state === 'due' && (
        <QuestionForm
          label={title}
          disabled={readOnly}
          groups={occasion.elements.map((e) => ({ key: e.formId, title: e.title, questions: e.questions }))}
          onSubmit={async (answers) => {
            await answerOccasion(occasion.id, answers);
            await queryClient.invalidateQueries({ queryKey: activitiesKeys.occasions().queryKey });
          }}
        />
      )}
    </section>
  );
}

export function ActivitiesPage({ me }: { me: PatientTreatment }) {
  const list = useQuery(activitiesKeys.occasions());
  const items = list.data?.items ?? [];
  const due = items.filter((o) => o.state === 'due');
  const done = items.filter((o) => o.state !== 'due').reverse();
  return (
    <>
      <h1>Aktiviteter</h1>
      <ReadOnlyNotice me={me} />
      <p>Aktiviteter som din behandlare har lagt upp åt dig, till exempel en dagbok. Svara innan svarstiden går ut.</p>
      {list.error && <ErrorText error={list.error} />}
      <h2>Att besvara</h2>
      {list.data && due.length === 0 && <p>Inga aktiviteter att besvara just nu.</p>}
      <div className="stack">{due.map((o) => <OccasionCard key={o.id} occasion={o} readOnly={me.readOnly} />)}</div>
      {done.length > 0 && (
        <>
          <h2>Tidigare</h2>
          <div className="stack">{done.map((o) => <OccasionCard key={o.id} occasion={o} readOnly={me.readOnly} />)}</div>
        </>
      )}
    </>
  );
}
