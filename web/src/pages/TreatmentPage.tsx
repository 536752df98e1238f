// One treatment: the patient's name as heading, tabs Hantera, Meddelanden, Flaggor, Tidslinje,
// Aktivitetsplaner, and Avsluta behandling. Stable deep link: /behandlare/behandlingar/<id>.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { ActivityPlan, Conversation, ModuleView, Program, TimelineEvent, Treatment } from '../api/types';
import { accessText, answerText, date, dateTime, flagText, personnummerText, moduleStateText, progressText, statusText, timelineTypeText } from '../format';
import { Link, useLocation } from '../router';
import { ErrorText, errorText } from './common';
import { Tabs } from './Tabs';
import { useLiveUpdates } from '../api/live';

const writable = (t: Treatment) => t.status === 'invited' || t.status === 'active';

function useTreatment(id: string) {
  return useQuery({
    queryKey: ['treatment', id],
    queryFn: () => unwrap(api.GET('/api/treatments/{id}', { params: { path: { id } } })),
    refetchInterval: 300_000, // a fallback: new flags and messages arrive as live events
  });
}

function useProgram(programId: string | undefined) {
  return useQuery({
    queryKey: ['program', programId],
    enabled: !!programId,
    staleTime: Infinity,
    queryFn: () => unwrap(api.GET('/api/programs/{programId}', { params: { path: { programId: programId! } } })),
  });
}

export function TreatmentPage({ id }: { id: string }) {
  const treatment = useTreatment(id);
  useLiveUpdates();
  const { search } = useLocation();
  const [tab, setTab] = useState('hantera');
  const t = treatment.data;
  const title = t ? (t.patient.name ?? personnummerText(t.patient.personnummer)) : 'Behandling';
  useEffect(() => { document.title = `${title} – Tobakshjälpen`; }, [title]);

  if (treatment.error) {
    return <><h1>Behandling</h1><ErrorText error={treatment.error} /><p><Link to="/behandlare">Till Mina patienter</Link></p></>;
  }
  if (!t) return <><h1>Behandling</h1><p role="status">Hämtar behandlingen …</p></>;
  return (
    <>
      <p className="crumbs"><Link to="/behandlare">Mina patienter</Link></p>
      <h1>{title}</h1>
      {search.get('befintlig') && <p className="notice" role="status">Invånaren hade redan en pågående behandling i programmet. Den visas här.</p>}
      <dl className="facts">
        <div><dt>Personnummer</dt><dd>{personnummerText(t.patient.personnummer)}</dd></div>
        <div><dt>Status</dt><dd><span className={`badge status-${t.status}`}>{statusText[t.status] ?? t.status}</span></dd></div>
        <div><dt>Start</dt><dd>{date(t.startedAt)}</dd></div>
        <div><dt>Senast aktiv</dt><dd>{dateTime(t.lastActiveAt)}</dd></div>
        <div><dt>Behandlare</dt><dd>{t.clinicianId}</dd></div>
        <div><dt>Vårdenhet</dt><dd>{t.careUnitId}</dd></div>
        {t.status === 'maintenance' && <div><dt>Vidmakthåll till</dt><dd>{dateTime(t.maintenanceUntil)}</dd></div>}
        {t.endedAt && <div><dt>Avslutad</dt><dd>{dateTime(t.endedAt)}</dd></div>}
      </dl>
      <Tabs
        label="Behandling"
        selected={tab}
        onSelect={setTab}
        tabs={[
          { key: 'hantera', label: 'Hantera', content: () => <Manage t={t} /> },
          { key: 'meddelanden', label: 'Meddelanden', content: () => <Messages t={t} /> },
          { key: 'flaggor', label: 'Flaggor', content: () => <Flags t={t} /> },
          { key: 'tidslinje', label: 'Tidslinje', content: () => <Timeline t={t} /> },
          { key: 'aktivitetsplaner', label: 'Aktivitetsplaner', content: () => <Plans t={t} /> },
        ]}
      />
      {writable(t) && <EndTreatment t={t} />}
      {t.status !== 'purged' && <ChangeClinician t={t} />}
      {t.status === 'ended' && <Purge t={t} />}
    </>
  );
}

/** After a command: the answer is the treatment when it has modules; refetch in any case. */
function useTreatmentCommand<V>(t: Treatment, run: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (data) => {
      if (data && typeof data === 'object' && 'modules' in data) qc.setQueryData(['treatment', t.id], data);
      void qc.invalidateQueries({ queryKey: ['treatment', t.id] });
      void qc.invalidateQueries({ queryKey: ['timeline', t.id] });
      void qc.invalidateQueries({ queryKey: ['treatments'] });
    },
  });
}

function Manage({ t }: { t: Treatment }) {
  return (
    <div className="stack">
      <section aria-labelledby="welcome-heading" className="card">
        <h2 id="welcome-heading">Välkomsttext</h2>
        <WelcomeText t={t} />
      </section>
      <h2>Moduler</h2>
      {!writable(t) && <p className="notice">Behandlingen är {statusText[t.status]?.toLowerCase()}: modulerna kan inte längre ändras.</p>}
      <div className="modules">
        {t.modules.map((m) => <ModuleRegion key={m.id} t={t} m={m} />)}
      </div>
    </div>
  );
}

function ModuleRegion({ t, m }: { t: Treatment; m: ModuleView }) {
  const hid = useId();
  const daysId = useId();
  const [moreDays, setMoreDays] = useState(false);
  const [days, setDays] = useState('7');
  const command = useTreatmentCommand(t, async (action: 'open' | 'current' | 'complete' | { workDays: number }) => {
    const params = { params: { path: { id: t.id, moduleId: m.id } } };
    if (action === 'open') return unwrap(api.POST('/api/treatments/{id}/modules/{moduleId}/open', params));
    if (action === 'current') return unwrap(api.POST('/api/treatments/{id}/modules/{moduleId}/current', params));
    if (action === 'complete') return unwrap(api.POST('/api/treatments/{id}/modules/{moduleId}/complete', params));
    return unwrap(api.PATCH('/api/treatments/{id}/modules/{moduleId}', { ...params, body: action }));
  });
  const state = moduleStateText(m);
  const current = t.currentModuleId === m.id;
  const disabled = !writable(t) || command.isPending;
  const saveDays = (e: FormEvent) => {
    e.preventDefault();
    command.mutate({ workDays: Number(days) }, { onSuccess: () => setMoreDays(false) });
  };
  return (
    <section aria-labelledby={hid} className={`card module state-${m.state}${current ? ' current' : ''}`}>
      <h3 id={hid}>{m.title}</h3>
      <p className="module-state">
        <span className={`badge progress-${state === 'Klar' ? 'finished' : state === 'Påbörjad' ? 'started' : 'none'}`}>{state}</span>
        <span className="badge access">{accessText[m.state] ?? m.state}</span>
        {current && <span className="badge current">Aktuell</span>}
        <span>{m.deadline ? `${m.daysLeft ?? 0} ${m.daysLeft === 1 ? 'dag' : 'dagar'} kvar (till ${date(m.deadline)})` : 'Ingen svarstid'}</span>
      </p>
      {m.sections.length > 0 && (
        <>
          <h4>Avsnitt</h4>
          <ul className="items">{m.sections.map((s) => <li key={s.id}><span>{s.title}</span> <span className="muted">{progressText[s.progress] ?? s.progress}</span></li>)}</ul>
        </>
      )}
      {m.forms.length > 0 && (
        <>
          <h4>Formulär</h4>
          <ul className="items">{m.forms.map((f) => <li key={f.id}><span>{f.title}</span> <span className="muted">{f.submittedAt ? `Inskickat ${dateTime(f.submittedAt)}` : 'Ej inskickat'}</span></li>)}</ul>
        </>
      )}
      <div className="actions">
        <button type="button" disabled={disabled} onClick={() => command.mutate('current')}>Sätt till aktuell</button>
        <button type="button" disabled={disabled} onClick={() => command.mutate('complete')}>Markera som avklarad</button>
        <button type="button" disabled={disabled} onClick={() => command.mutate('open')}>Öppna</button>
        <button type="button" disabled={disabled} aria-expanded={moreDays} onClick={() => setMoreDays((v) => !v)}>Fler dagar</button>
      </div>
      {moreDays && (
        <form className="inline-form" onSubmit={saveDays}>
          <label htmlFor={daysId}>Antal dagar från i dag</label>
          <input id={daysId} type="number" min={1} max={365} value={days} onChange={(e) => setDays(e.target.value)} />
          <button type="submit" disabled={disabled}>Spara</button>
        </form>
      )}
      {command.error && <ErrorText error={command.error} />}
      {command.isSuccess && <p className="muted" role="status">Sparat.</p>}
    </section>
  );
}

function Messages({ t }: { t: Treatment }) {
  const qc = useQueryClient();
  const [composing, setComposing] = useState(false);
  const conversations = useQuery({
    queryKey: ['conversations', t.id],
    queryFn: () => unwrap(api.GET('/api/treatments/{id}/conversations', { params: { path: { id: t.id }, query: { pageSize: 100 } } })),
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['conversations', t.id] });
    void qc.invalidateQueries({ queryKey: ['flags', t.id] });
    void qc.invalidateQueries({ queryKey: ['treatment', t.id] });
  };
  return (
    <div className="stack">
      <div className="page-head">
        <h2>Meddelanden</h2>
        {writable(t) && !composing && <button type="button" className="primary" onClick={() => setComposing(true)}>Nytt meddelande</button>}
      </div>
      {composing && <MessageForm t={t} onDone={() => { setComposing(false); refresh(); }} onCancel={() => setComposing(false)} />}
      {conversations.error && <ErrorText error={conversations.error} />}
      {conversations.data?.items.length === 0 && <p className="muted">Inga meddelanden än.</p>}
      {conversations.data?.items.map((c) => <Thread key={c.id} t={t} c={c} onReplied={refresh} />)}
    </div>
  );
}

function MessageForm({ t, conversationId, onDone, onCancel }: { t: Treatment; conversationId?: string; onDone: () => void; onCancel: () => void }) {
  const base = useId();
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [notify, setNotify] = useState(true);
  const send = useMutation({
    mutationFn: () => (conversationId
      ? unwrap<unknown>(api.POST('/api/treatments/{id}/conversations/{cid}/messages', { params: { path: { id: t.id, cid: conversationId } }, body: { text: text.trim(), notify } }))
      : unwrap<unknown>(api.POST('/api/treatments/{id}/conversations', { params: { path: { id: t.id } }, body: { subject: subject.trim(), text: text.trim(), notify } }))),
    onSuccess: onDone,
  });
  const submit = (e: FormEvent) => { e.preventDefault(); send.mutate(); };
  return (
    <form className="card stack" onSubmit={submit} aria-label={conversationId ? 'Svara' : 'Nytt meddelande'}>
      {!conversationId && (
        <div className="field">
          <label htmlFor={`${base}-subject`}>Ämne</label>
          <input id={`${base}-subject`} value={subject} required maxLength={200} onChange={(e) => setSubject(e.target.value)} />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${base}-text`}>{conversationId ? 'Svar' : 'Meddelande'}</label>
        <textarea id={`${base}-text`} rows={4} value={text} required onChange={(e) => setText(e.target.value)} />
      </div>
      <div className="check">
        <input id={`${base}-notify`} type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} />
        <label htmlFor={`${base}-notify`}>Avisera via SMS</label>
      </div>
      {send.error && <ErrorText error={send.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={send.isPending}>Skicka</button>
        <button type="button" onClick={onCancel}>Avbryt</button>
      </div>
    </form>
  );
}

function Thread({ t, c, onReplied }: { t: Treatment; c: Conversation; onReplied: () => void }) {
  const hid = useId();
  const [replying, setReplying] = useState(false);
  return (
    <article className="card thread" aria-labelledby={hid}>
      <h3 id={hid}>{c.subject}</h3>
      <ol className="messages">
        {c.messages.map((m) => (
          <li key={m.id} className={`message from-${m.author}`}>
            <p className="meta"><strong>{m.author === 'clinician' ? 'Behandlare' : 'Invånare'}</strong> <time dateTime={m.sentAt}>{dateTime(m.sentAt)}</time></p>
            <p className="text">{m.text}</p>
          </li>
        ))}
      </ol>
      {writable(t) && !replying && <button type="button" onClick={() => setReplying(true)}>Svara</button>}
      {replying && <MessageForm t={t} conversationId={c.id} onDone={() => { setReplying(false); onReplied(); }} onCancel={() => setReplying(false)} />}
    </article>
  );
}

function Flags({ t }: { t: Treatment }) {
  const qc = useQueryClient();
  const flags = useQuery({
    queryKey: ['flags', t.id],
    queryFn: () => unwrap(api.GET('/api/flags', { params: { query: { treatmentId: t.id, pageSize: 200 } } })),
  });
  const read = useMutation({
    mutationFn: (flagId: string) => unwrap(api.POST('/api/flags/{id}/read', { params: { path: { id: flagId } } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['flags', t.id] });
      void qc.invalidateQueries({ queryKey: ['treatment', t.id] });
      void qc.invalidateQueries({ queryKey: ['treatments'] });
    },
  });
  const title = (moduleId: unknown) => t.modules.find((m) => m.id === moduleId)?.title;
  return (
    <div className="stack">
      <Submissions t={t} />
      <h2>Flaggor</h2>
      {flags.error && <ErrorText error={flags.error} />}
      {flags.data?.items.length === 0 && <p className="muted">Inga flaggor.</p>}
      {read.error && <ErrorText error={read.error} />}
      {flags.data && flags.data.items.length > 0 && (
        <table className="list">
          <caption>{flags.data.total} flaggor, {flags.data.items.filter((f) => !f.readAt).length} olästa</caption>
          <thead><tr><th scope="col">Flagga</th><th scope="col">Allvarlighet</th><th scope="col">Skapad</th><th scope="col">Läst</th><th scope="col"><span className="sr-only">Åtgärd</span></th></tr></thead>
          <tbody>
            {flags.data.items.map((f) => (
              <tr key={f.id}>
                <td>{flagText(f.type)}{title(f.moduleId) ? ` – ${title(f.moduleId)}` : ''}</td>
                <td>{f.severity === 'action' ? 'Kräver åtgärd' : 'Information'}</td>
                <td className="nowrap">{dateTime(f.createdAt)}</td>
                <td>{f.readAt ? dateTime(f.readAt) : <strong>Oläst</strong>}</td>
                <td>{!f.readAt && <button type="button" disabled={read.isPending} onClick={() => read.mutate(f.id)}>Markera som läst</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

const NOTE_KINDS: Record<string, string> = { phone: 'Telefonsamtal', visit: 'Besök', other: 'Annan kontakt' };

/** A Swedish calendar date (YYYY-MM-DD) as the instant its day starts or ends, in the browser's (Swedish) time. */
const dayStart = (d: string) => new Date(`${d}T00:00:00`).toISOString();
const dayEnd = (d: string) => new Date(`${d}T23:59:59.999`).toISOString();

function Timeline({ t }: { t: Treatment }) {
  const base = useId();
  const qc = useQueryClient();
  const [type, setType] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const query = { pageSize: 500, ...(type ? { types: type } : {}), ...(from ? { from: dayStart(from) } : {}), ...(to ? { to: dayEnd(to) } : {}) };
  const timeline = useQuery({
    queryKey: ['timeline', t.id, query],
    queryFn: () => unwrap(api.GET('/api/treatments/{id}/timeline', { params: { path: { id: t.id }, query } })),
  });
  const [kind, setKind] = useState('phone');
  const [text, setText] = useState('');
  const note = useMutation({
    mutationFn: () => unwrap(api.POST('/api/treatments/{id}/notes', { params: { path: { id: t.id } }, body: { kind: kind as 'phone' | 'visit' | 'other', text: text.trim() } })),
    onSuccess: () => { setText(''); void qc.invalidateQueries({ queryKey: ['timeline', t.id] }); },
  });
  const moduleTitle = (e: TimelineEvent) => (typeof e.moduleId === 'string' ? t.modules.find((m) => m.id === e.moduleId)?.title : undefined);
  const detail = (e: TimelineEvent) => {
    const data = (e.data ?? {}) as Record<string, unknown>;
    if (e.type === 'note') return `${NOTE_KINDS[String(data.kind)] ?? ''}: ${String(data.text ?? '')}`;
    if (e.type === 'treatment_ended' && typeof data.reason === 'string') return data.maintenance ? 'med Vidmakthåll' : '';
    return moduleTitle(e) ?? '';
  };
  return (
    <div className="stack">
      <h2>Tidslinje</h2>
      <form className="filters" aria-label="Filtrera tidslinjen" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={`${base}-type`}>Händelsetyp</label>
          <select id={`${base}-type`} value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">Alla</option>
            {Object.entries(timelineTypeText).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${base}-from`}>Från och med</label>
          <input id={`${base}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${base}-to`}>Till och med</label>
          <input id={`${base}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
      </form>
      {timeline.error && <ErrorText error={timeline.error} />}
      {timeline.data && timeline.data.items.length === 0 && <p className="muted">Inga händelser.</p>}
      {timeline.data && timeline.data.items.length > 0 && (
        <ol className="timeline" aria-label="Händelser">
          {timeline.data.items.map((e, i) => (
            <li key={`${e.at}-${i}`}>
              <time dateTime={e.at}>{dateTime(e.at)}</time>
              <span><strong>{timelineTypeText[e.type] ?? e.type}</strong>{detail(e) ? ` – ${detail(e)}` : ''}</span>
            </li>
          ))}
        </ol>
      )}
      {t.status !== 'purged' && (
        <form className="card stack" aria-labelledby={`${base}-nh`} onSubmit={(e) => { e.preventDefault(); note.mutate(); }}>
          <h3 id={`${base}-nh`}>Ny kontaktanteckning</h3>
          <div className="field">
            <label htmlFor={`${base}-kind`}>Typ av kontakt</label>
            <select id={`${base}-kind`} value={kind} onChange={(e) => setKind(e.target.value)}>
              {Object.entries(NOTE_KINDS).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${base}-note`}>Anteckning</label>
            <textarea id={`${base}-note`} rows={3} value={text} required onChange={(e) => setText(e.target.value)} />
          </div>
          {note.error && <ErrorText error={note.error} />}
          <div className="actions"><button type="submit" disabled={note.isPending || !text.trim()}>Spara anteckning</button></div>
        </form>
      )}
    </div>
  );
}

const weekdayText: Record<string, string> = { mon: 'måndag', tue: 'tisdag', wed: 'onsdag', thu: 'torsdag', fri: 'fredag', sat: 'lördag', sun: 'söndag' };
const occasionStateText: Record<string, string> = { due: 'Väntar på svar', answered: 'Besvarad', missed: 'Missad' };

function programForms(program: Program | undefined): ProgramForm[] {
  return ((program?.modules ?? []) as Array<{ forms?: ProgramForm[] }>).flatMap((m) => m.forms ?? []);
}

function Plans({ t }: { t: Treatment }) {
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const plans = useQuery({
    queryKey: ['plans', t.id],
    queryFn: () => unwrap(api.GET('/api/treatments/{id}/activity-plans', { params: { path: { id: t.id } } })),
  });
  const refresh = () => { void qc.invalidateQueries({ queryKey: ['plans', t.id] }); void qc.invalidateQueries({ queryKey: ['timeline', t.id] }); };
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
  const qc = useQueryClient();
  const [showOccasions, setShowOccasions] = useState(false);
  const [editing, setEditing] = useState(false);
  const detail = useQuery({
    queryKey: ['plan', t.id, plan.id],
    enabled: showOccasions,
    queryFn: () => unwrap(api.GET('/api/treatments/{id}/activity-plans/{planId}', { params: { path: { id: t.id, planId: plan.id } } })),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/treatments/{id}/activity-plans/{planId}', { params: { path: { id: t.id, planId: plan.id } } })),
    onSuccess: onChanged,
  });
  const program = useProgram(t.programId);
  const forms = programForms(program.data);
  const active = plan.status === 'active';
  return (
    <section className="card" aria-labelledby={hid}>
      <h3 id={hid}>{plan.title}</h3>
      {plan.schedule && (
        <p>
          {plan.schedule.weekdays.map((d) => weekdayText[d] ?? d).join(', ')} kl. {plan.schedule.times.join(', ')} i {plan.schedule.weeks} {plan.schedule.weeks === 1 ? 'vecka' : 'veckor'};
          {' '}svar inom {plan.answerWindowDays ?? 0} {plan.answerWindowDays === 1 ? 'dag' : 'dagar'}.{' '}
          <span className="badge">{active ? 'Pågår' : 'Avslutad'}</span>
        </p>
      )}
      <div className="actions">
        <button type="button" aria-expanded={showOccasions} onClick={() => setShowOccasions((v) => !v)}>{showOccasions ? 'Dölj tillfällen' : 'Visa tillfällen'}</button>
        {active && writable(t) && !editing && <button type="button" onClick={() => setEditing(true)}>Ändra</button>}
        {active && writable(t) && <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>Ta bort</button>}
      </div>
      {remove.error && <ErrorText error={remove.error} />}
      {editing && (
        <PlanForm t={t} plan={plan} onCancel={() => setEditing(false)} onDone={() => {
          setEditing(false);
          onChanged();
          void qc.invalidateQueries({ queryKey: ['plan', t.id, plan.id] });
        }} />
      )}
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

/** An occasion's answers, `{ formId: { questionId: value } }`: each question by its text, the answer in words. */
function OccasionAnswers({ answers, forms }: { answers: Record<string, unknown>; forms: ProgramForm[] }) {
  return (
    <dl className="answers">
      {Object.entries(answers).flatMap(([formId, byQuestion]) => {
        const form = forms.find((f) => f.id === formId);
        if (byQuestion === null || typeof byQuestion !== 'object' || Array.isArray(byQuestion)) {
          return [<div key={formId}><dt>{form?.title ?? formId}</dt><dd>{answerText(byQuestion)}</dd></div>];
        }
        return Object.entries(byQuestion as Record<string, unknown>).map(([q, v]) => (
          <div key={`${formId}.${q}`}><dt>{form?.questions?.find((x) => x.id === q)?.text ?? q}</dt><dd>{answerText(v)}</dd></div>
        ));
      })}
    </dl>
  );
}

/** A new plan, or with `plan` an edit of one (PUT: the schedule and answer window apply to the occasions still to come). */
function PlanForm({ t, plan, onDone, onCancel }: { t: Treatment; plan?: ActivityPlan; onDone: () => void; onCancel: () => void }) {
  const base = useId();
  const program = useProgram(t.programId);
  const forms = programForms(program.data);
  const [title, setTitle] = useState(plan?.title ?? '');
  const [formId, setFormId] = useState(plan?.elements[0]?.formId ?? '');
  const [weekdays, setWeekdays] = useState<Set<string>>(new Set(plan?.schedule.weekdays ?? []));
  const [times, setTimes] = useState(plan?.schedule.times.join(', ') ?? '08:00');
  const [weeks, setWeeks] = useState(String(plan?.schedule.weeks ?? 4));
  const [answerWindowDays, setAnswerWindowDays] = useState(String(plan?.answerWindowDays ?? 1));
  const body = () => ({
    title: title.trim(),
    elements: [{ formId: formId || forms[0]?.id || '' }],
    schedule: {
      weekdays: Object.keys(weekdayText).filter((d) => weekdays.has(d)) as Array<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'>,
      times: times.split(',').map((x) => x.trim()).filter(Boolean),
      weeks: Number(weeks),
    },
    answerWindowDays: Number(answerWindowDays),
  });
  const create = useMutation({
    mutationFn: () => (plan
      ? unwrap(api.PUT('/api/treatments/{id}/activity-plans/{planId}', { params: { path: { id: t.id, planId: plan.id } }, body: body() }))
      : unwrap(api.POST('/api/treatments/{id}/activity-plans', { params: { path: { id: t.id } }, body: body() }))),
    onSuccess: onDone,
  });
  return (
    <form className="card stack" aria-label={plan ? `Ändra ${plan.title}` : 'Ny aktivitetsplan'} onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
      <div className="field">
        <label htmlFor={`${base}-title`}>Rubrik</label>
        <input id={`${base}-title`} value={title} required onChange={(e) => setTitle(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${base}-form`}>Innehåll (formulär)</label>
        <select id={`${base}-form`} value={formId || forms[0]?.id || ''} onChange={(e) => setFormId(e.target.value)}>
          {forms.map((f) => <option key={f.id} value={f.id}>{f.title}</option>)}
        </select>
      </div>
      <fieldset>
        <legend>Veckodagar</legend>
        <div className="actions">
          {Object.entries(weekdayText).map(([d, label]) => (
            <div className="check" key={d}>
              <input id={`${base}-${d}`} type="checkbox" checked={weekdays.has(d)} onChange={(e) => {
                const next = new Set(weekdays);
                if (e.target.checked) next.add(d); else next.delete(d);
                setWeekdays(next);
              }} />
              <label htmlFor={`${base}-${d}`}>{label}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor={`${base}-times`}>Tider</label>
        <span className="hint" id={`${base}-times-hint`}>TT:MM, flera med komma, till exempel 08:00, 20:00</span>
        <input id={`${base}-times`} value={times} aria-describedby={`${base}-times-hint`} onChange={(e) => setTimes(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${base}-weeks`}>Antal veckor</label>
        <input id={`${base}-weeks`} type="number" min={1} max={104} value={weeks} onChange={(e) => setWeeks(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${base}-window`}>Svarstid i dagar</label>
        <input id={`${base}-window`} type="number" min={0} max={30} value={answerWindowDays} onChange={(e) => setAnswerWindowDays(e.target.value)} />
      </div>
      {create.error && <ErrorText error={create.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>{plan ? 'Spara ändringar' : 'Spara aktivitetsplan'}</button>
        <button type="button" onClick={onCancel}>Avbryt</button>
      </div>
    </form>
  );
}

function EndTreatment({ t }: { t: Treatment }) {
  const base = useId();
  const program = useProgram(t.programId);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [maintenance, setMaintenance] = useState(false);
  const end = useTreatmentCommand(t, () => unwrap(api.POST('/api/treatments/{id}/end', { params: { path: { id: t.id } }, body: { reason, maintenance } })));
  const submit = (e: FormEvent) => { e.preventDefault(); end.mutate(undefined, { onSuccess: () => setOpen(false) }); };
  return (
    <section className="card end" aria-labelledby={`${base}-h`}>
      <h2 id={`${base}-h`}>Avslutning</h2>
      {!open && <button type="button" onClick={() => setOpen(true)}>Avsluta behandling</button>}
      {open && (
        <form className="stack" onSubmit={submit} aria-label="Avsluta behandling">
          <div className="field">
            <label htmlFor={`${base}-reason`}>Avslutningsorsak</label>
            <select id={`${base}-reason`} value={reason} required onChange={(e) => setReason(e.target.value)}>
              <option value="">Välj orsak</option>
              {program.data?.endReasons.map((r) => <option key={r.id} value={r.id}>{r.title}</option>)}
            </select>
          </div>
          <div className="check">
            <input id={`${base}-maintenance`} type="checkbox" checked={maintenance} aria-describedby={`${base}-mhint`} onChange={(e) => setMaintenance(e.target.checked)} />
            <label htmlFor={`${base}-maintenance`}>Vidmakthåll</label>
          </div>
          <p className="hint" id={`${base}-mhint`}>Med Vidmakthåll kan invånaren läsa programmet en tid efter avslutningen, men inte skriva.</p>
          {end.error && <ErrorText error={end.error} />}
          <div className="actions">
            <button type="submit" className="danger" disabled={end.isPending || !reason}>Avsluta</button>
            <button type="button" onClick={() => setOpen(false)}>Avbryt</button>
          </div>
        </form>
      )}
      {end.isError && !open && <p className="error" role="alert">{errorText(end.error)}</p>}
    </section>
  );
}

function ChangeClinician({ t }: { t: Treatment }) {
  const base = useId();
  const [open, setOpen] = useState(false);
  const [clinicianId, setClinicianId] = useState('');
  const change = useTreatmentCommand(t, () => unwrap(api.PUT('/api/treatments/{id}/clinician', { params: { path: { id: t.id } }, body: { clinicianId: clinicianId.trim() } })));
  const submit = (e: FormEvent) => { e.preventDefault(); change.mutate(undefined, { onSuccess: () => { setOpen(false); setClinicianId(''); } }); };
  return (
    <section className="card end" aria-labelledby={`${base}-h`}>
      <h2 id={`${base}-h`}>Behandlare</h2>
      <p>Ansvarig behandlare: <strong>{t.clinicianId}</strong></p>
      {!open && <button type="button" onClick={() => setOpen(true)}>Byt behandlare</button>}
      {open && (
        <form className="stack" onSubmit={submit} aria-label="Byt behandlare">
          <div className="field">
            <label htmlFor={`${base}-id`}>HSA-id för ny behandlare</label>
            <span className="hint" id={`${base}-hint`}>En behandlare som har loggat in på vårdenheten {t.careUnitId}.</span>
            <input id={`${base}-id`} value={clinicianId} required aria-describedby={`${base}-hint`} onChange={(e) => setClinicianId(e.target.value)} />
          </div>
          {change.error && <ErrorText error={change.error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={change.isPending || !clinicianId.trim()}>Byt</button>
            <button type="button" onClick={() => setOpen(false)}>Avbryt</button>
          </div>
        </form>
      )}
      {change.isSuccess && !open && <p role="status">Behandlaren är bytt.</p>}
    </section>
  );
}

function Purge({ t }: { t: Treatment }) {
  const base = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const qc = useQueryClient();
  const purge = useMutation({
    mutationFn: () => unwrap(api.POST('/api/treatments/{id}/purge', { params: { path: { id: t.id } } })),
    onSuccess: () => {
      dialog.current?.close();
      void qc.invalidateQueries({ queryKey: ['treatment', t.id] });
      void qc.invalidateQueries({ queryKey: ['treatments'] });
    },
  });
  return (
    <section className="card end" aria-labelledby={`${base}-h`}>
      <h2 id={`${base}-h`}>Gallring</h2>
      {purge.isSuccess
        ? <p role="status">Gallringen är begärd. Invånarens uppgifter tas bort.</p>
        : <button type="button" className="danger" onClick={() => dialog.current?.showModal()}>Gallra</button>}
      <dialog ref={dialog} aria-labelledby={`${base}-dh`} aria-describedby={`${base}-dd`}>
        <h2 id={`${base}-dh`}>Gallra invånaren?</h2>
        <div id={`${base}-dd`}>
          <p>Gallring tar bort allt om {t.patient.name ?? personnummerText(t.patient.personnummer)} i den här behandlingen:</p>
          <ul>
            <li>personnummer, namn, mobilnummer och e-post</li>
            <li>välkomsttext, meddelanden och inskickade formulärsvar</li>
            <li>tidslinje, flaggor och aktivitetsplaner med svar</li>
          </ul>
          <p>Det går inte att ångra. Statistiken behålls, utan personuppgifter.</p>
        </div>
        {purge.error && <ErrorText error={purge.error} />}
        <div className="actions">
          <button type="button" className="danger" disabled={purge.isPending} onClick={() => purge.mutate()}>Ja, gallra</button>
          <button type="button" onClick={() => dialog.current?.close()}>Avbryt</button>
        </div>
      </dialog>
    </section>
  );
}

interface ProgramForm { id: string; title: string; questions?: Array<{ id: string; text: string }> }

/** Inskickade svar: open one to read its answers (the first open marks it read and its flag too). */
function Submissions({ t }: { t: Treatment }) {
  const qc = useQueryClient();
  const program = useProgram(t.programId);
  const [openId, setOpenId] = useState<string | null>(null);
  const forms = useQuery({
    queryKey: ['forms', t.id],
    queryFn: () => unwrap(api.GET('/api/treatments/{id}/forms', { params: { path: { id: t.id } } })),
  });
  const opened = useQuery({
    queryKey: ['form', t.id, openId],
    enabled: !!openId,
    queryFn: async () => {
      const s = await unwrap(api.GET('/api/treatments/{id}/forms/{submissionId}', { params: { path: { id: t.id, submissionId: openId! } } }));
      void qc.invalidateQueries({ queryKey: ['forms', t.id] });
      void qc.invalidateQueries({ queryKey: ['flags', t.id] });
      return s;
    },
  });
  const formOf = (formId: string): ProgramForm | undefined => {
    const modules = (program.data?.modules ?? []) as Array<{ forms?: ProgramForm[] }>;
    return modules.flatMap((m) => m.forms ?? []).find((f) => f.id === formId);
  };
  return (
    <section aria-labelledby="submissions-heading">
      <h2 id="submissions-heading">Inskickade svar</h2>
      {forms.error && <ErrorText error={forms.error} />}
      {forms.data?.items.length === 0 && <p className="muted">Inga inskickade formulär.</p>}
      {forms.data && forms.data.items.length > 0 && (
        <ul className="items">
          {forms.data.items.map((f) => (
            <li key={f.id}>
              <strong>{formOf(f.formId)?.title ?? f.formId}</strong> – inskickat {dateTime(f.submittedAt)}, {f.openedAt ? `öppnat ${dateTime(f.openedAt)}` : 'inte öppnat'}{' '}
              <button type="button" aria-expanded={openId === f.id} onClick={() => setOpenId(openId === f.id ? null : f.id)}>
                {openId === f.id ? 'Stäng svar' : 'Öppna svar'}
              </button>
              {openId === f.id && opened.data && (
                <dl className="answers">
                  {Object.entries(opened.data.answers ?? {}).map(([q, v]) => (
                    <div key={q}><dt>{formOf(f.formId)?.questions?.find((x) => x.id === q)?.text ?? q}</dt><dd>{answerText(v)}</dd></div>
                  ))}
                </dl>
              )}
              {openId === f.id && opened.error && <ErrorText error={opened.error} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function WelcomeText({ t }: { t: Treatment }) {
  const base = useId();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(t.welcomeText ?? '');
  const save = useTreatmentCommand(t, () => unwrap(api.PUT('/api/treatments/{id}/welcome-text', { params: { path: { id: t.id } }, body: { text: text.trim() } })));
  if (!editing) {
    return (
      <>
        {t.welcomeText ? <p className="text">{t.welcomeText}</p> : <p className="muted">Ingen välkomsttext.</p>}
        {t.status !== 'purged' && <button type="button" onClick={() => { setText(t.welcomeText ?? ''); setEditing(true); }}>Ändra välkomsttext</button>}
      </>
    );
  }
  return (
    <form className="stack" onSubmit={(e) => { e.preventDefault(); save.mutate(undefined, { onSuccess: () => setEditing(false) }); }}>
      <div className="field">
        <label htmlFor={`${base}-text`}>Ny välkomsttext</label>
        <textarea id={`${base}-text`} rows={5} value={text} required onChange={(e) => setText(e.target.value)} />
      </div>
      {save.error && <ErrorText error={save.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending || !text.trim()}>Spara välkomsttext</button>
        <button type="button" onClick={() => setEditing(false)}>Avbryt</button>
      </div>
    </form>
  );
}
