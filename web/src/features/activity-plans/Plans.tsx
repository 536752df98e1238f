// Aktivitetsplaner: the treatment's plans, Ny aktivitetsplan; each plan with its occasions and answers.
import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ErrorText } from '../../components/ErrorText';
import { send } from '../../lib/api';
import { programForms, treatmentKeys, useProgram, writable, type ProgramForm, type Treatment } from '../../lib/treatment';
import { answerText, dateTime } from '../../utils/format';
import { scheduleText } from './plan';
import { PlanForm } from './PlanForm';
import { plansKeys } from './queries';

type ActivityPlan = components['schemas']['ActivityPlan'];
const occasionStateText: Record<string, string> = { due: 'Väntar på svar', answered: 'Besvarad', missed: 'Missad' };

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

/** One plan: its schedule, its occasions on request; Ändra and Ta bort while it is active. `onChanged` refreshes the list. */
function PlanCard({ t, plan, onChanged }: { t: Treatment; plan: ActivityPlan; onChanged: () => void }) {
  const hid = useId();
  const [showOccasions, setShowOccasions] = useState(false);
  const [editing, setEditing] = useState(false);
  const detail = useQuery({ ...plansKeys.detail(t.id, plan.id), enabled: showOccasions });
  const remove = useMutation({
    mutationFn: () => send(api.DELETE('/api/treatments/{id}/activity-plans/{planId}', { params: { path: { id: t.id, planId: plan.id } } })),
    onSuccess: onChanged,
  });
  const program = useProgram(t.programId);
  const forms = programForms(program.data);
  const active = plan.status === 'active';
  return (
    <section className="card" aria-labelledby={hid}>
      <h3 id={hid}>{plan.title}</h3>
      <p>{scheduleText(plan)}{' '}<span className="badge">{active ? 'Pågår' : 'Avslutad'}</span></p>
      <div className="actions">
        <button type="button" aria-expanded={showOccasions} onClick={() => setShowOccasions((v) => !v)}>{showOccasions ? 'Dölj tillfällen' : 'Visa tillfällen'}</button>
        {active && writable(t) && !editing && <button type="button" onClick={() => setEditing(true)}>Ändra</button>}
        {active && writable(t) && <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>Ta bort</button>}
      </div>
      {remove.error && <ErrorText error={remove.error} />}
      {editing && <PlanForm t={t} plan={plan} onCancel={() => setEditing(false)} onDone={() => { setEditing(false); onChanged(); }} />}
      {showOccasions && detail.data && (
        detail.data.occasions.length === 0 ? <p className="muted">Inga tillfällen än.</p> : (
          <table className="list">
            <caption>Tillfällen för {plan.title}</caption>
            <thead><tr><th scope="col">Tid</th><th scope="col">Svara senast</th><th scope="col">Läge</th><th scope="col">Svar</th></tr></thead>
            <tbody>
              {detail.data.occasions.map((o) => (
                <tr key={o.id}>
                  <td className="nowrap">{dateTime(o.dueAt)}</td>
                  <td className="nowrap">{dateTime(o.answerBy)}</td>
                  <td><span className={`badge occasion-${o.state}`}>{occasionStateText[o.state] ?? o.state}</span></td>
                  <td>{o.answers ? <OccasionAnswers answers={o.answers} forms={forms} /> : o.state === 'missed' ? 'Inget svar' : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      )}
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
