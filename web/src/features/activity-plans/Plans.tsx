// Aktivitetsplaner: the treatment's plans, Ny aktivitetsplan; each plan with its occasions and answers.
import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorText } from '../../components/ErrorText';
import { send } from '../../lib/api';
import { programForms, treatmentKeys, useProgram, writable, type ProgramForm, type Treatment } from '../../lib/treatment';
import { answerText, dateTime } from '../../utils/format';
import { scheduleText } from './plan';
import { PlanForm } from './PlanForm';
import { plansKeys } from './queries';

type ActivityPlan = components['schemas']['ActivityPlan'];
const occasionStateText: Record<string, string> = { due: 'Väntar på svar', answered: 'Besvarad', missed: 'Missad' };
const planStatusText: Record<string, string> = { active: 'Pågår', stopped: 'Avslutad', completed: 'Genomförd' };

export function Plans({ t }: { t: Treatment }) {
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const plans = useQuery(plansKeys.list(t.id));
  const refresh = () => { void qc.invalidateQueries({ queryKey: plansKeys.all(t.id) }); void qc.invalidateQueries({ queryKey: treatmentKeys.timeline(t.id) }); };
  return (
    <div className="stack">
      <div className="page-head">
        <h2>Aktivitetsplaner</h2>
        {writable(t) && !creating && <button type="button" className="primary" onClick={() => setCreating(true)}>Ny aktivitetsplan</button>}
      </div>
      {creating && <PlanForm t={t} onDone={() => { setCreating(false); refresh(); }} onCancel={() => setCreating(false)} />}
      {plans.error && <ErrorText error={plans.error} />}
      {plans.data?.items.length === 0 && <p className="muted">Inga aktivitetsplaner.</p>}
      {plans.data?.items.map((p) => <PlanCard key={p.id} t={t} plan={p} onChanged={refresh} />)}
    </div>
  );
}

/** One plan: its activities and schedule, its occasions on request (answered with the answers, missed, open, to come); Ändra and Ta bort while it is active. */
function PlanCard({ t, plan, onChanged }: { t: Treatment; plan: ActivityPlan; onChanged: () => void }) {
  const hid = useId();
  const [showOccasions, setShowOccasions] = useState(false);
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const detail = useQuery({ ...plansKeys.detail(t.id, plan.id), enabled: showOccasions });
  const remove = useMutation({
    mutationFn: () => send(api.DELETE('/api/treatments/{id}/activity-plans/{planId}', { params: { path: { id: t.id, planId: plan.id } } })),
    onSuccess: () => { setRemoving(false); onChanged(); },
  });
  const program = useProgram(t.programId);
  const forms = programForms(program.data);
  const active = plan.status === 'active';
  const activities = plan.elements.map((e) => forms.find((f) => f.id === e.formId)?.title ?? e.formId).join(', ');
  const d = detail.data;
  return (
    <section className="card" aria-labelledby={hid}>
      <h3 id={hid}>{plan.title}</h3>
      <p><span className="badge">{planStatusText[plan.status] ?? plan.status}</span> Aktivitet: {activities}. {scheduleText(plan)}</p>
      <div className="actions">
        <button type="button" aria-expanded={showOccasions} onClick={() => setShowOccasions((v) => !v)}>{showOccasions ? 'Dölj tillfällen' : 'Visa tillfällen'}</button>
        {active && writable(t) && !editing && <button type="button" onClick={() => setEditing(true)}>Ändra</button>}
        {active && writable(t) && <button type="button" className="danger" onClick={() => { remove.reset(); setRemoving(true); }}>Ta bort</button>}
      </div>
      <ConfirmDialog open={removing} title={`Ta bort ${plan.title}?`} busy={remove.isPending} error={remove.error} onCancel={() => setRemoving(false)} onConfirm={() => remove.mutate()}>
        <p>Planen avslutas nu: tillfällen som inte har kommit än försvinner. Besvarade och missade tillfällen finns kvar här och i tidslinjen.</p>
      </ConfirmDialog>
      {editing && <PlanForm t={t} plan={plan} onCancel={() => setEditing(false)} onDone={() => { setEditing(false); onChanged(); }} />}
      {showOccasions && detail.error && <ErrorText error={detail.error} />}
      {showOccasions && d && (
        d.occasions.length === 0 && d.upcoming.length === 0 ? <p className="muted">Inga tillfällen.</p> : (
          <table className="list">
            <caption>Tillfällen för {plan.title}</caption>
            <thead><tr><th scope="col">Tid</th><th scope="col">Svara senast</th><th scope="col">Läge</th><th scope="col">Svar</th></tr></thead>
            <tbody>
              {d.occasions.map((o) => (
                <tr key={o.id}>
                  <td className="nowrap">{dateTime(o.dueAt)}</td>
                  <td className="nowrap">{dateTime(o.answerBy)}</td>
                  <td><span className={`badge occasion-${o.state}`}>{occasionStateText[o.state] ?? o.state}</span></td>
                  <td>{o.answers ? <><span className="muted">Besvarad {dateTime(o.answeredAt)}</span><OccasionAnswers answers={o.answers} forms={forms} /></> : o.state === 'missed' ? 'Inget svar' : '–'}</td>
                </tr>
              ))}
              {d.upcoming.map((at) => (
                <tr key={at}>
                  <td className="nowrap">{dateTime(at)}</td>
                  <td className="nowrap">–</td>
                  <td><span className="badge occasion-upcoming">Kommande</span></td>
                  <td>–</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      )}
      {showOccasions && d && d.upcomingTotal > d.upcoming.length && <p className="muted">Visar de {d.upcoming.length} närmaste av {d.upcomingTotal} kommande tillfällen.</p>}
    </section>
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** An occasion's answers, `{ formId: { questionId: value } }`: each question by its text, the answer in words. */
function OccasionAnswers({ answers, forms }: { answers: Record<string, unknown>; forms: ProgramForm[] }) {
  return (
    <dl className="answers">
      {Object.entries(answers).flatMap(([formId, byQuestion]) => {
        const form = forms.find((f) => f.id === formId);
        if (!isRecord(byQuestion)) return [<div key={formId}><dt>{form?.title ?? formId}</dt><dd>{answerText(byQuestion)}</dd></div>];
        return Object.entries(byQuestion).map(([q, v]) => (
          <div key={`${formId}.${q}`}><dt>{form?.questions.find((x) => x.id === q)?.text ?? q}</dt><dd>{answerText(v)}</dd></div>
        ));
      })}
    </dl>
  );
}
