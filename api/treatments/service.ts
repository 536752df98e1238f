// The work behind the endpoints: starting a treatment exactly once, finding what a caller may
// see, and sending commands to a treatment's workflow.
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { ServiceError, WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { planOf } from '../../domain/program';
import type { Config } from '../../infra/config';
import type { Program } from '../../infra/programs';
import { patientKey } from '../../infra/patient-key';
import { Patient, type PatientDoc } from '../../models/patient';
import { OpenTreatmentSlot, Treatment, WelcomeText, type TreatmentRecord } from '../../models/treatment';
import { OverviewRow, rowOf } from '../../models/overview';
import { FormSubmissionModel, TimelineModel } from '../../models/clinical';
import { TREATMENT_WORKFLOW, workflowIdFor } from '../../workflows/definitions';
import { initialState, patientWriteRefusal } from '../../domain/transitions';
import { project } from '../../domain/projection';
import { searchAttributesOf } from '../../workflows/search-attributes';
import type { TreatmentInput, TreatmentProjection, TreatmentStatus } from '../../domain/types';
import type { UpdateDefinition } from '@temporalio/common';
import pRetry from 'p-retry';
import pLimit, { type LimitFunction } from 'p-limit';
import { deleteByIdWhere, findByIdWhere, findByIds, upsertRacing } from '../../infra/store';
import { isDuplicateKey, onDuplicateKey } from '../../infra/duplicate-key';
import { PROBLEM_TYPES, conflict, fromWorkflowError, notFound, retryWhenBusy } from '../errors';
import { logAccess, type Accessor } from '../access-log/service';
import { operationsSummary } from '../../domain/summary';
import { payloadCodec } from '../../infra/data-converter';
import type { OwnAnswers } from './views';

export type { TreatmentRecord } from '../../models/treatment';

/** 409 unless the patient may write (the workflow checks the same rule again). */
export function assertPatientMayWrite(t: TreatmentRecord): TreatmentRecord {
  const refusal = patientWriteRefusal(t.status as TreatmentStatus);
  if (refusal) throw conflict(refusal, PROBLEM_TYPES.readOnly);
  return t;
}

export interface StartResult {
  treatment: TreatmentRecord;
  created: boolean;
  /** The patient as stored after this request's contact details. */
  patient: PatientDoc | null;
}

interface StartInput {
  personnummer: string; program: Program; careUnitId: string; clinicianId: string;
  patient?: { name?: string; phone?: string; email?: string };
}

export class TreatmentService {
  constructor(private readonly config: Config, readonly client: Client, private readonly programIds: string[] = []) {}

  keyOf(personnummer: string): string {
    return patientKey(this.config.patientKeySecret, personnummer);
  }

  /**
   * "Starta nytt moment". Returns the treatment and whether it is new. Identical requests that
   * race all land on the same treatment: the open slot's _id is unique, so exactly one claim wins,
   * and every request then makes sure the read model and the workflow exist (both idempotent).
   */
  async start(input: StartInput): Promise<StartResult> {
    // One candidate id for every attempt: a retry after a busy store that had already claimed the
    // slot for this request recognises its own claim and still answers 201.
    const candidateId = randomUUID();
    return retryWhenBusy(() => this.startOnce(input, candidateId));
  }

  private async startOnce(input: StartInput, candidateId: string): Promise<StartResult> {
    const key = this.keyOf(input.personnummer);
    const contact = contactByClinician(input.patient);
    const slotKey = slotKeyOf(key, input.program.id);
    const upsertPatient = () => Patient.findOneAndUpdate(
      { _id: key },
      { $setOnInsert: { personnummer: input.personnummer }, $set: contact },
      { upsert: true, new: true },
    ).lean<PatientDoc>();
    const writePatient = () => upsertRacing(upsertPatient);
    // The claim first: contact details are written only for the caller's own treatment, never for
    // a patient whose open treatment belongs to another care unit (whose SMS and e-mail they would redirect).
    const slot = await claimSlot(slotKey, candidateId);
    const treatmentId = slot.treatmentId;
    const created = treatmentId === candidateId;

    if (!created) {
      const existing = await this.awaitTreatment(treatmentId);
      if (existing && existing.careUnitId !== input.careUnitId) {
        // Another unit treats this patient in this program; say so and nothing more, and write nothing.
        throw conflict('the patient already has an open treatment of this program at another care unit');
      }
      if (existing) {
        // Without new contact details there is nothing to write (identical starts racing write nothing).
        const before = await Patient.findById(key).lean<PatientDoc>();
        const changed = contactChanges(before, contact);
        const patientNow = changed.length ? writePatient() : Promise.resolve(before);
        const [patient] = await Promise.all([patientNow, this.ensureWorkflow(existing, slotKey, input.program)]);
        // Who changed an address is on the timeline (the access log has the request).
        if (changed.length) await recordContactChange(existing._id, changed, 'clinician', input.clinicianId);
        return { treatment: existing, created: false, patient };
      }
      // The winner never wrote the treatment (it crashed): write the same thing it would have.
    }
    // The workflow's input is sealed with the treatment's own key: made now, beside the writes.
    payloadCodec(this.config).prepareNew(treatmentId);
    const startedAt = Date.now();
    const workflowInput: TreatmentInput = {
      treatmentId, careUnitId: input.careUnitId, clinicianId: input.clinicianId, openSlotKey: slotKey, startedAt,
      plan: planOf(input.program), readModelWritten: true,
    };
    const { _id, ...fields } = project(initialState(workflowInput), workflowInput.plan);
    const record = { ...fields, patientKey: key, version: 0 };
    // The patient, the read model and the workflow side by side (the workflow does not read the
    // read model; its first write comes with the first change, which no one can ask for before this answer).
    const writes = Promise.all([
      // The overview's row shows the patient as just written.
      writePatient().then(async (p) => {
        const row = { ...rowOf(record), personnummer: p.personnummer, name: p.name ?? null };
        await onDuplicateKey(() => OverviewRow.updateOne({ _id: treatmentId }, { $setOnInsert: row }, { upsert: true }), () => undefined);
        return p;
      }),
      onDuplicateKey(() => Treatment.updateOne({ _id: treatmentId }, { $setOnInsert: record }, { upsert: true }), () => undefined),
    ]);
    const [written, started] = await Promise.allSettled([writes, this.startWorkflow(workflowInput)]);
    const failed = [written, started].find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      if (created) {
        // Leave nothing half-done: neither a treatment without a workflow nor the reverse.
        if (started.status === 'fulfilled') {
          await this.client.workflow.getHandle(workflowIdFor(treatmentId)).terminate('its read model could not be written').catch(() => undefined);
        }
        await deleteByIdWhere(OpenTreatmentSlot, slotKey, { treatmentId }).catch(() => undefined);
        await deleteByIdWhere(Treatment, treatmentId, { version: 0 }).catch(() => undefined);
        await deleteByIdWhere(OverviewRow, treatmentId, { version: 0 }).catch(() => undefined);
      }
      throw failed.reason;
    }
    // What was just written, cast as MongoDB returns it (dates as dates): no second read.
    return { treatment: new Treatment({ _id: treatmentId, ...record }).toObject() as TreatmentRecord, created, patient: (await writes)[0] };
  }

  /** The treatment a racing start is writing: read until it appears (a few seconds at most). */
  private async awaitTreatment(treatmentId: string): Promise<TreatmentRecord | null> {
    return pRetry(async () => {
      const t = await Treatment.findById(treatmentId).lean<TreatmentRecord>();
      if (!t) throw new Error('not written yet');
      return t;
    }, { retries: 29, factor: 1, minTimeout: 100, maxTimeout: 100, randomize: false }).catch(() => null);
  }

  private async ensureWorkflow(t: TreatmentRecord, slotKey: string, program: Program) {
    if (t.version > 0) return; // the workflow has written it, so it runs
    await this.startWorkflow({
      treatmentId: t._id, careUnitId: t.careUnitId, clinicianId: t.clinicianId, openSlotKey: slotKey,
      startedAt: t.startedAt.getTime(), plan: planOf(program), readModelWritten: true,
    });
  }

  private async startWorkflow(input: TreatmentInput) {
    const first = initialState(input);
    try {
      await this.client.workflow.start(TREATMENT_WORKFLOW, {
        workflowId: workflowIdFor(input.treatmentId),
        taskQueue: this.config.temporal.taskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        // Visible to operations staff from the first moment; the workflow keeps them current.
        typedSearchAttributes: searchAttributesOf(first),
        // The Temporal UI's summary: program and care unit, readable without decoding (domain/summary.ts).
        staticSummary: operationsSummary(first),
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  /** A treatment that this clinician may see (its care unit is in the token; else 404), access-logged. */
  async visibleToClinician(id: string, accessor: Accessor, opts: { command?: boolean } = {}): Promise<TreatmentRecord> {
    // A command will encode its update with the treatment's data key: read it beside the visibility
    // read and the access log rather than after them (it was a MongoDB read on the update's path).
    if (opts.command) payloadCodec(this.config).warm(id);
    const t = await findByIdWhere<TreatmentRecord>(Treatment, id, { careUnitId: { $in: accessor.careUnits } });
    if (!t) throw notFound();
    await logAccess(accessor, [t]);
    return t;
  }

  /**
   * The patient's current treatment: an open one (invited or active) first, found through its
   * open slot by _id; else the newest in Vidmakthåll (whose slot is released at the end).
   */
  async ofPatient(personnummer: string): Promise<TreatmentRecord> {
    const key = this.keyOf(personnummer);
    const slots = await findByIds<{ treatmentId: string }>(OpenTreatmentSlot, this.programIds.map((p) => slotKeyOf(key, p)));
    const open = (await findByIds<TreatmentRecord>(Treatment, slots.map((s) => s.treatmentId)))
      .filter((t) => t.patientKey === key && (t.status === 'invited' || t.status === 'active'))
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    if (open[0]) return open[0];
    const t = await Treatment.findOne({ patientKey: key, status: { $in: ['invited', 'active', 'maintenance'] } })
      .sort({ startedAt: -1 })
      .lean<TreatmentRecord>();
    if (!t) throw notFound();
    return t;
  }

  async patientOf(t: TreatmentRecord): Promise<PatientDoc | null> {
    return Patient.findById(t.patientKey).lean<PatientDoc>();
  }

  async command<Args extends unknown[]>(
    treatmentId: string, def: UpdateDefinition<TreatmentProjection, Args>, ...args: Args
  ): Promise<TreatmentProjection> {
    const handle = this.client.workflow.getHandle(workflowIdFor(treatmentId));
    return sendUpdate(handle, def as unknown as UpdateDefinition<TreatmentProjection, [unknown, ...unknown[]]>, args as unknown as [unknown, ...unknown[]], randomUUID())
      .catch((err: unknown) => { throw fromWorkflowError(err); });
  }

  /** When each form of the treatment was last submitted, by `moduleId:formId` (answers not read). */
  async submissionsOf(treatmentId: string): Promise<Map<string, Date>> {
    const docs = await FormSubmissionModel.find({ treatmentId }, { moduleId: 1, formId: 1, submittedAt: 1 }).lean();
    const out = new Map<string, Date>();
    for (const d of docs) {
      const key = `${d.moduleId}:${d.formId}`;
      const seen = out.get(key);
      if (!seen || seen < d.submittedAt) out.set(key, d.submittedAt);
    }
    return out;
  }

  /**
   * The patient's own answers, the last submission of each form by `moduleId:formId` with when it
   * was sent ("Dina svar"): read for the patient only, never for a clinician's view.
   */
  async ownAnswersOf(treatmentId: string): Promise<OwnAnswers> {
    const docs = await FormSubmissionModel.find({ treatmentId }, { moduleId: 1, formId: 1, submittedAt: 1, answers: 1 }).lean();
    const out: OwnAnswers = new Map();
    for (const d of docs) {
      const key = `${d.moduleId}:${d.formId}`;
      const seen = out.get(key);
      if (!seen || seen.submittedAt < d.submittedAt) out.set(key, { submittedAt: d.submittedAt, answers: (d.answers ?? {}) as Record<string, unknown> });
    }
    return out;
  }

  async welcomeTextOf(treatmentId: string): Promise<string | null> {
    return (await WelcomeText.findById(treatmentId).lean())?.text ?? null;
  }

  /** A command, answered with the read model the workflow wrote before answering (no second read, no re-projection). */
  async applied<Args extends unknown[]>(
    t: TreatmentRecord, def: UpdateDefinition<TreatmentProjection, Args>, ...args: Args
  ): Promise<TreatmentRecord> {
    const projection = await this.command(t._id, def, ...args);
    return new Treatment({ ...projection, patientKey: t.patientKey }).toObject() as TreatmentRecord;
  }

  async reload(id: string): Promise<TreatmentRecord> {
    const t = await Treatment.findById(id).lean<TreatmentRecord>();
    if (!t) throw notFound();
    return t;
  }
}

/** The "one open treatment per patient and program" slot's _id. */
function slotKeyOf(patientKey: string, programId: string): string {
  return `${patientKey}:${programId}`;
}

/**
 * Sends a command as a workflow update, again under the same update id when the server turned it
 * away for now: too many updates of one workflow in flight (RESOURCE_EXHAUSTED), an update aborted
 * because the workflow's context was cleared or the server was briefly away (UNAVAILABLE), or one the
 * workflow left unprocessed. The id makes sending again safe whatever happened to the first: the
 * server applies an update id once and answers a repeat with the first outcome.
 */
export function sendUpdate<R, Args extends [unknown, ...unknown[]]>(handle: WorkflowHandle, def: UpdateDefinition<R, Args>, args: Args, updateId: string): Promise<R> {
  return oneAtATime(handle.workflowId, () => pRetry(
    () => handle.executeUpdate(def, { args, updateId }),
    { retries: 7, factor: 2, minTimeout: 70, maxTimeout: 2000, randomize: true, shouldRetry: ({ error }) => isRetryableRejection(error) },
  ));
}

/**
 * Updates of one workflow go one at a time from this process; other workflows' are not held up.
 * Several updates of one workflow in flight at once wedged that workflow now and then: the SDK's
 * core (1.24.0, the newest) loses track of a workflow task when a new one arrives for the run
 * ("Trying to send a new WFT for a run which already has one!"), and the history it then completes
 * is one the workflow code cannot replay (a nondeterminism error on every later task, so no timer,
 * reminder or command of that treatment ran again). Measured here, 40 commands at once to each of
 * a series of treatments beside two busy loops: 2 of 25 wedged, with 26 such log lines; one at a
 * time, none of 50, no such line, and each burst answered sooner (docs/operations.md).
 */
const updateQueues = new Map<string, LimitFunction>();
function oneAtATime<T>(workflowId: string, send: () => Promise<T>): Promise<T> {
  let queue = updateQueues.get(workflowId);
  if (!queue) updateQueues.set(workflowId, queue = pLimit(1));
  const sent = queue(send);
  const forget = () => { if (queue.activeCount + queue.pendingCount === 0 && updateQueues.get(workflowId) === queue) updateQueues.delete(workflowId); };
  sent.then(forget, forget);
  return sent;
}

function isRetryableRejection(err: unknown): boolean {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return err.cause.type === 'UnprocessedUpdate';
  const code = err instanceof ServiceError ? (err.cause as { code?: number } | undefined)?.code : undefined;
  return code === 8 || code === 14; // RESOURCE_EXHAUSTED, UNAVAILABLE
}

/** An upsert that answered no document (read again). */
class SlotNotRead extends Error {}

async function claimSlot(slotKey: string, candidateId: string): Promise<{ treatmentId: string }> {
  // Two upserts raced on the same _id: one inserted, the other tries again and reads what it wrote.
  return pRetry(async () => {
    const slot = await OpenTreatmentSlot.findOneAndUpdate(
      { _id: slotKey },
      { $setOnInsert: { treatmentId: candidateId, createdAt: new Date() } },
      { upsert: true, new: true },
    ).lean<{ treatmentId: string }>();
    if (!slot) throw new SlotNotRead();
    return slot;
  }, { retries: 4, minTimeout: 0, maxTimeout: 0, shouldRetry: ({ error }) => isDuplicateKey(error) || error instanceof SlotNotRead });
}


type ContactInput = StartInput['patient'];

/**
 * What a clinician's start writes to the patient: the name, and each address beside its
 * `clinician…` copy, which marks it as entered by a clinician (neutral notices go there, confirmed or not).
 */
function contactByClinician(patient: ContactInput): Record<string, string> {
  const out: Record<string, string> = {};
  if (patient?.name !== undefined) out.name = patient.name;
  if (patient?.phone !== undefined) { out.phone = patient.phone; out.clinicianPhone = patient.phone; }
  if (patient?.email !== undefined) { out.email = patient.email; out.clinicianEmail = patient.email; }
  return out;
}

/** The channels whose address (or the clinician's mark on it) this write changes; the name too, for the write itself. */
function contactChanges(before: PatientDoc | null, contact: Record<string, string>): Array<'sms' | 'email' | 'name'> {
  const changed: Array<'sms' | 'email' | 'name'> = [];
  if (contact.name !== undefined && contact.name !== before?.name) changed.push('name');
  if (contact.phone !== undefined && (contact.phone !== before?.phone || contact.phone !== before?.clinicianPhone)) changed.push('sms');
  if (contact.email !== undefined && (contact.email !== before?.email || contact.email !== before?.clinicianEmail)) changed.push('email');
  return changed;
}

/** A timeline entry per changed address, naming who changed it (never the address itself). */
export async function recordContactChange(treatmentId: string, changed: ReadonlyArray<'sms' | 'email' | 'name'>, by: 'clinician' | 'patient', actor: string | null): Promise<void> {
  const at = new Date();
  const entries = changed.filter((c) => c !== 'name').map((channel) => ({
    _id: `${treatmentId}:contact:${channel}:${randomUUID()}`, treatmentId, type: 'contact_changed', at, actor, moduleId: null, ref: null, data: { channel, by },
  }));
  if (entries.length) await TimelineModel.insertMany(entries);
}
