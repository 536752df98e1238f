// What the read model shows of a treatment: its projection, and each module's progress colour.
import { followUpSchedule } from './follow-ups';
import { planModule } from './state';
import type { ModuleProgress, ModuleState, TreatmentPlan, TreatmentProjection, TreatmentState } from './types';

/** Green when every section is finished and every form sent; yellow when anything is begun. */
export function moduleProgress(m: ModuleState, plan: TreatmentPlan): ModuleProgress {
  const p = planModule(plan, m.id);
  const finishedSections = p.sectionIds.filter((s) => m.sections[s] === 'finished').length;
  const submitted = p.formIds.filter((f) => m.submittedForms.includes(f)).length;
  const anything = Object.keys(m.sections).length > 0 || m.submittedForms.length > 0;
  const total = p.sectionIds.length + p.formIds.length;
  if (total > 0 && finishedSections === p.sectionIds.length && submitted === p.formIds.length) return 'finished';
  return anything ? 'started' : 'none';
}

export function project(state: TreatmentState, plan: TreatmentPlan): TreatmentProjection {
  const schedule = followUpSchedule(state, plan);
  return {
    _id: state.treatmentId,
    programId: state.programId,
    careUnitId: state.careUnitId,
    clinicianId: state.clinicianId,
    status: state.status,
    startedAt: state.startedAt,
    activatedAt: state.activatedAt,
    lastActiveAt: state.lastActiveAt,
    endedAt: state.endedAt,
    endReason: state.endReason,
    maintenanceUntil: state.maintenanceUntil,
    quitDate: state.quitDate,
    currentModuleId: state.currentModuleId,
    modules: state.modules.map((m) => ({
      id: m.id,
      kind: planModule(plan, m.id).kind,
      state: m.state,
      progress: moduleProgress(m, plan),
      openedAt: m.openedAt,
      deadline: m.deadline,
      completedAt: m.completedAt,
      sections: { ...m.sections },
      submittedForms: [...m.submittedForms],
    })),
    followUps: state.followUps.map((f, index) => ({
      index, moduleId: f.moduleId, dueAt: schedule[index] ?? null, openedAt: f.openedAt, remindedAt: f.remindedAt, escalatedAt: f.escalatedAt, answeredAt: f.answeredAt, tobaccoStatus: f.tobaccoStatus,
    })),
    activityPlans: state.activityPlans,
    version: state.version,
  };
}
