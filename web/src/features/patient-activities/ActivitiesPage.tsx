// Aktiviteter: the occasions of the clinician's activity plans, with the plan's title and the
// questions to answer; due ones are answered with Skicka, answered and missed ones are listed.
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { SentAnswers } from '../../components/question-form/SentAnswers';
import { ErrorText } from '../../components/ErrorText';
import { QuestionForm } from '../../components/question-form/QuestionForm';
import { ReadOnlyNotice } from '../../components/ReadOnlyNotice';
import type { PatientTreatment } from '../../lib/me';
import { dateTime } from '../../utils/format';
import { activitiesKeys, answerOccasion, type Occasion } from './queries';

const stateText: Record<Occasion['state'], string> = { due: 'Att besvara', answered: 'Besvarad', missed: 'Missad' };

/** Whether the occasion's time to answer has passed, checked every half minute while the page is open. */
function usePassed(answerBy: string): boolean {
  const [now, setNow] = useState(() => Date.now());
  const end = new Date(answerBy).getTime();
  useEffect(() => {
    if (now >= end) return;
    const t = setTimeout(() => setNow(Date.now()), Math.min(end - now + 50, 30_000));
    return () => clearTimeout(t);
  }, [now, end]);
  return now >= end;
}

function OccasionCard({ occasion, readOnly, kept }: { occasion: Occasion; readOnly: boolean; kept?: boolean }) {
  const queryClient = useQueryClient();
  const headingId = `occasion-${occasion.id}`;
  const title = occasion.title ?? 'Aktivitet';
  const groups = occasion.elements.map((e) => ({ key: e.formId, title: e.title, questions: e.questions }));
  const passed = usePassed(occasion.answerBy);
  // An occasion whose time ran out while it was open keeps its form (and what was typed), saying so.
  const writing = occasion.state === 'due' || (kept === true && occasion.state === 'missed');
  return (
    <section aria-labelledby={headingId} className="card">
      <h3 id={headingId}>{title}, {dateTime(occasion.dueAt)}</h3>
      <p className="module-state">
        <span className={`badge occasion-${occasion.state}`}>{passed && occasion.state === 'due' ? stateText.missed : stateText[occasion.state]}</span>
        {occasion.state === 'due' && !passed && <span className="muted">Svara senast {dateTime(occasion.answerBy)}</span>}
        {occasion.state === 'missed' && !writing && <span className="muted">Svarstiden gick ut {dateTime(occasion.answerBy)}</span>}
      </p>
      {occasion.state === 'answered' && occasion.answers && <SentAnswers groups={groups} answers={occasion.answers} sentAt={occasion.answeredAt} sentWord="Besvarad" />}
      {writing && (
        <QuestionForm
          label={title}
          disabled={readOnly || passed}
          groups={groups}
          draftKey={readOnly ? undefined : `aktivitet:${occasion.id}`}
          note={passed ? <p className="notice" role="status">Tiden för att svara gick ut {dateTime(occasion.answerBy)}. Det du skrev finns kvar här, men kan inte skickas. Vill du berätta det för din behandlare kan du kopiera texten till ett meddelande.</p> : null}
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
  // Occasions shown as due on this page stay with their form when their time runs out meanwhile.
  const [shownDue, setShownDue] = useState<ReadonlySet<string>>(() => new Set());
  const dueNow = items.filter((o) => o.state === 'due').map((o) => o.id);
  if (dueNow.some((id) => !shownDue.has(id))) setShownDue(new Set([...shownDue, ...dueNow]));
  const kept = (o: Occasion) => o.state === 'due' || (o.state === 'missed' && shownDue.has(o.id));
  const due = items.filter(kept);
  const done = items.filter((o) => !kept(o)).reverse();
  return (
    <>
      <h1>Aktiviteter</h1>
      <ReadOnlyNotice me={me} />
      <p>Aktiviteter som din behandlare har lagt upp åt dig, till exempel en dagbok. Svara innan svarstiden går ut.</p>
      {list.error && <ErrorText error={list.error} />}
      <h2>Att besvara</h2>
      {list.data && due.length === 0 && <p>Inga aktiviteter att besvara just nu.</p>}
      <div className="stack">{due.map((o) => <OccasionCard key={o.id} occasion={o} readOnly={me.readOnly} kept />)}</div>
      {done.length > 0 && (
        <>
          <h2>Tidigare</h2>
          <div className="stack">{done.map((o) => <OccasionCard key={o.id} occasion={o} readOnly={me.readOnly} />)}</div>
        </>
      )}
    </>
  );
}
