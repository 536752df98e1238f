// The work behind the endpoints: starting a treatment exactly once, finding what a caller may
// see, and sending commands to a treatment's workflow.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { ServiceError, WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Config } from '../config';
import type { Program } from '../lib/programs';
import { patientKey } from '../lib/patient-key';
import { Patient, type PatientDoc } from '../models/patient';
import { OpenTreatmentSlot, Treatment, WelcomeText, type TreatmentDoc } from '../models/treatment';
import { FlagModel } from '../models/clinical';
import { TREATMENT_WORKFLOW, workflowIdFor } from '../workflows/definitions';
import { initialState, patientWriteRefusal, project } from '../workflows/transitions';
import { searchAttributesOf } from '../workflows/search-attributes';
import type { TreatmentInput, TreatmentPlan, TreatmentState, TreatmentStatus } from '../workflows/types';
import type { UpdateDefinition } from '@temporalio/common';
import { conflict, fromWorkflowError, notFound, retryWhenBusy } from './errors';
import { logAccess, type Accessor } from './access-log';

export type TreatmentRecord = TreatmentDoc & { _id: string };

/** 409 unless the patient may write (the workflow checks the same rule again). */
export function assertPatientMayWrite(t: TreatmentRecord): TreatmentRecord {
  const refusal = patientWriteRefusal(t.status as TreatmentStatus);
  if (refusal) throw conflict(refusal);
  return t;
}

export function planOf(program: Program): TreatmentPlan {
  return {
    programId: program.id,
    programVersion: program.version,
    durations: {
      moduleWork: program.durations.moduleWork,
      inactivityFlag: program.durations.inactivityFlag,
      followUps: program.durations.followUps,
      followUpReminder: program.durations.followUpReminder,
      followUpEscalation: program.durations.followUpEscalation,
      maintenance: program.durations.maintenance,
      retention: program.durations.retention,
    },
    endReasonIds: program.endReasons.map((r) => r.id),
    modules: program.modules.map((m) => ({
      id: m.id,
      kind: m.kind,
      openAtStart: m.openAtStart,
      ...(m.workDuration ? { workDuration: m.workDuration } : {}),
      ...(m.followUpIndex !== undefined ? { followUpIndex: m.followUpIndex } : {}),
      sectionIds: m.sections.map((s) => s.id),
      formIds: m.forms.map((f) => f.id),
    })),
  };
}

interface StartInput {
  personnummer: string; program: Program; careUnitId: string; clinicianId: string;
  patient?: { name?: string; phone?: string; email?: string };
}

export class TreatmentService {
  constructor(private readonly config: Config, readonly client: Client) {}

  keyOf(personnummer: string): string {
    return patientKey(this.config.patientKeySecret, personnummer);
  }

  /**
   * "Starta nytt moment". Returns the treatment and whether it is new. Identical requests that
   * race all land on the same treatment: the open slot's _id is unique, so exactly one claim wins,
   * and every request then makes sure the read model and the workflow exist (both idempotent).
   */
  async start(input: StartInput): Promise<{ treatment: TreatmentRecord; created: boolean }> {
    return retryWhenBusy(() => this.startOnce(input));
  }

  private async startOnce(input: StartInput): Promise<{ treatment: TreatmentRecord; created: boolean }> {
    const key = this.keyOf(input.personnummer);
    const contact = Object.fromEntries(Object.entries(input.patient ?? {}).filter(([, v]) => v !== undefined));
    await Patient.updateOne(
      { _id: key },
      { $setOnInsert: { personnummer: input.personnummer }, $set: contact },
      { upsert: true },
    ).catch(retryOnDuplicate(() => Patient.updateOne({ _id: key }, { $set: contact })));

    const slotKey = `${key}:${input.program.id}`;
    const candidateId = randomUUID();
    const slot = await claimSlot(slotKey, candidateId);
    const treatmentId = slot.treatmentId;
    const created = treatmentId === candidateId;

    if (!created) {
      const existing = await Treatment.findById(treatmentId).lean<TreatmentRecord>();
      if (existing && existing.careUnitId !== input.careUnitId) {
        // Another unit treats this patient in this program; say so without showing its data.
        throw conflict('the patient already has an open treatment of this program at another care unit');
      }
      if (existing) {
        await this.ensureWorkflow(existing, slotKey, input.program);
        return { treatment: existing, created: false };
      }
      // The winner has not written the treatment yet: write the same thing it will write.
    }

    const startedAt = Date.now();
    const workflowInput: TreatmentInput = {
      treatmentId, careUnitId: input.careUnitId, clinicianId: input.clinicianId, openSlotKey: slotKey, startedAt,
      plan: planOf(input.program),
    };
    const { _id, ...fields } = project(initialState(workflowInput), workflowInput.plan);
    try {
      await Treatment.updateOne(
        { _id: treatmentId },
        { $setOnInsert: { ...fields, patientKey: key, version: 0 } },
        { upsert: true },
      ).catch(retryOnDuplicate(async () => undefined));
      await this.startWorkflow(workflowInput);
    } catch (err) {
      if (created) {
        // Leave nothing half-done: without a workflow the treatment must not exist.
        await OpenTreatmentSlot.deleteOne({ _id: slotKey, treatmentId }).catch(() => undefined);
        await Treatment.deleteOne({ _id: treatmentId, version: 0 }).catch(() => undefined);
      }
      throw err;
    }
    const treatment = await Treatment.findById(treatmentId).lean<TreatmentRecord>();
    if (!treatment) throw new Error('treatment vanished right after it was written');
    return { treatment, created };
  }

  private async ensureWorkflow(t: TreatmentRecord, slotKey: string, program: Program) {
    if (t.version > 0) return; // the workflow has written it, so it runs
    await this.startWorkflow({
      treatmentId: t._id, careUnitId: t.careUnitId, clinicianId: t.clinicianId, openSlotKey: slotKey,
      startedAt: t.startedAt.getTime(), plan: planOf(program),
    });
  }

  private async startWorkflow(input: TreatmentInput) {
    try {
      await this.client.workflow.start(TREATMENT_WORKFLOW, {
        workflowId: workflowIdFor(input.treatmentId),
        taskQueue: this.config.temporal.taskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        // Visible to operations staff from the first moment; the workflow keeps them current.
        typedSearchAttributes: searchAttributesOf({ status: 'invited', careUnitId: input.careUnitId, currentModuleId: null, programId: input.plan.programId }),
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  /** A treatment that this clinician may see (its care unit is in the token; else 404), access-logged. */
  async visibleToClinician(id: string, accessor: Accessor): Promise<TreatmentRecord> {
    const t = await Treatment.findOne({ _id: id, careUnitId: { $in: accessor.careUnits } }).lean<TreatmentRecord>();
    if (!t) throw notFound();
    await logAccess(accessor, [t]);
    return t;
  }

  /** The patient's current treatment: the newest one they can still reach. */
  async ofPatient(personnummer: string): Promise<TreatmentRecord> {
    const t = await Treatment.findOne({ patientKey: this.keyOf(personnummer), status: { $in: ['invited', 'active', 'maintenance'] } })
      .sort({ startedAt: -1 })
      .lean<TreatmentRecord>();
    if (!t) throw notFound();
    return t;
  }

  async patientOf(t: TreatmentRecord): Promise<PatientDoc | null> {
    return Patient.findById(t.patientKey).lean<PatientDoc>();
  }

  async command<Args extends unknown[]>(
    treatmentId: string, def: UpdateDefinition<TreatmentState, Args>, ...args: Args
  ): Promise<TreatmentState> {
    const handle = this.client.workflow.getHandle(workflowIdFor(treatmentId));
    for (let attempt = 1; ; attempt++) {
      try {
        return await handle.executeUpdate(def as unknown as UpdateDefinition<TreatmentState, [unknown, ...unknown[]]>, { args: args as unknown as [unknown, ...unknown[]] });
      } catch (err) {
        // Under a burst the server may turn an update away before any worker saw it (too many in
        // flight, or "unprocessed"): nothing was applied, so it is safe to send again.
        if (attempt < 8 && isRetryableRejection(err)) {
          await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random())));
          continue;
        }
        throw fromWorkflowError(err);
      }
    }
  }

  async welcomeTextOf(treatmentId: string): Promise<string | null> {
    return (await WelcomeText.findById(treatmentId).lean())?.text ?? null;
  }

  /** Unread flags per treatment, counted from the flags themselves. */
  async unreadFlagCounts(treatmentIds: string[]): Promise<Map<string, number>> {
    const rows = await FlagModel.aggregate<{ _id: string; n: number }>([
      { $match: { treatmentId: { $in: treatmentIds }, readAt: null } },
      { $group: { _id: '$treatmentId', n: { $sum: 1 } } },
    ]);
    return new Map(rows.map((r) => [r._id, r.n]));
  }

  async reload(id: string): Promise<TreatmentRecord> {
    const t = await Treatment.findById(id).lean<TreatmentRecord>();
    if (!t) throw notFound();
    return t;
  }
}

function isRetryableRejection(err: unknown): boolean {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return err.cause.type === 'UnprocessedUpdate';
  if (err instanceof ServiceError) return (err.cause as { code?: number } | undefined)?.code === 8; // RESOURCE_EXHAUSTED
  return false;
}

async function claimSlot(slotKey: string, candidateId: string): Promise<{ treatmentId: string }> {
  for (let attempt = 0; ; attempt++) {
    try {
      const slot = await OpenTreatmentSlot.findOneAndUpdate(
        { _id: slotKey },
        { $setOnInsert: { treatmentId: candidateId, createdAt: new Date() } },
        { upsert: true, new: true },
      ).lean<{ treatmentId: string }>();
      if (slot) return slot;
    } catch (err) {
      // Two upserts raced on the same _id: one inserted, the other reads what it wrote.
      if ((err as { code?: number }).code !== 11000 || attempt > 3) throw err;
    }
  }
}

function retryOnDuplicate<T>(again: () => Promise<T>) {
  return (err: unknown) => {
    if ((err as { code?: number }).code === 11000) return again();
    throw err;
  };
}
