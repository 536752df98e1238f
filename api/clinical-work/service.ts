// Forms, conversations and the timeline: content in MongoDB, the fact of it told to the workflow.
// Each write is stored first and then announced with the document's id as the update id, so a
// retried request is one event; if the workflow refuses, the stored document is removed again.
import { randomUUID } from 'node:crypto';
import { answersSchema, quitDateRefusal } from '../../domain/forms';
import { swedishDate } from '../../domain/durations';
import type { Program } from '../../infra/programs';
import { ConversationModel, FormSubmissionModel, MessageModel, TimelineModel, type FormSubmissionDoc } from '../../models/clinical';
import { postMessageUpdate, submitFormUpdate, workflowIdFor } from '../../workflows/definitions';
import { claimByIdWhere, findByIdWhere } from '../../infra/store';
import { markFlagsRead, unreadFlagIds } from '../../infra/overview-rows';
import { HttpError, PROBLEM_TYPES, conflict, fromWorkflowError, fromZod, notFound } from '../errors';
import { assertPatientMayWrite, sendUpdate, type TreatmentRecord, type TreatmentService } from '../treatments/service';

type Author = { role: 'clinician'; hsaId: string } | { role: 'patient' };

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

type MessageRecord = { _id: string; conversationId: string; author: string; text: string; sentAt: Date; readByPatientAt?: Date | null };
const messageView = (m: MessageRecord) => ({ id: m._id, author: m.author, text: m.text, sentAt: iso(m.sentAt) });
/** The patient's view of a message: a clinician's message not read before this read is `unread`. */
const patientMessageView = (m: MessageRecord) => ({ ...messageView(m), unread: m.author === 'clinician' && !m.readByPatientAt });

function conversationView(c: { _id: string; subject: string; startedBy: string; createdAt: Date }, messages: MessageRecord[], view: (m: MessageRecord) => object = messageView) {
  return {
    id: c._id,
    subject: c.subject,
    startedBy: c.startedBy,
    createdAt: iso(c.createdAt),
    messages: messages.filter((m) => m.conversationId === c._id).map(view),
  };
}

/** The clinician's messages the patient has not read yet (the count on the patient's start page). */
export function unreadByPatient(treatmentId: string): Promise<number> {
  return MessageModel.countDocuments({ treatmentId, author: 'clinician', readByPatientAt: null });
}

export class ClinicalService {
  constructor(private readonly treatments: TreatmentService) {}

  private async announce(run: () => Promise<unknown>, undo: () => Promise<unknown>) {
    try {
      await run();
    } catch (err) {
      await undo().catch(() => undefined);
      throw fromWorkflowError(err);
    }
  }

  private postMessage(t: TreatmentRecord, conversationId: string, messageId: string, author: Author['role'], notify: boolean) {
    const handle = this.treatments.client.workflow.getHandle(workflowIdFor(t._id));
    return () => sendUpdate(handle, postMessageUpdate, [{ conversationId, messageId, author, notify: author === 'clinician' && notify }], `message-${messageId}`);
  }

  /**
   * One page of conversations, newest first, each with its messages. A clinician reading them has
   * read the patient's messages: their unread `message_received` flags are marked read. The patient
   * reading them has read the clinician's messages shown: each says whether it was `unread` until
   * this read, and is marked read (`readByPatientAt`).
   */
  async conversations(t: TreatmentRecord, q: { page: number; pageSize: number }, reader: Author['role']) {
    const [total, docs] = await Promise.all([
      ConversationModel.countDocuments({ treatmentId: t._id }),
      ConversationModel.find({ treatmentId: t._id }).sort({ createdAt: -1, _id: 1 }).skip((q.page - 1) * q.pageSize).limit(q.pageSize).lean(),
    ]);
    const messages = await MessageModel.find({ treatmentId: t._id, conversationId: { $in: docs.map((c) => c._id) } }).sort({ sentAt: 1, _id: 1 }).lean<MessageRecord[]>();
    if (reader === 'clinician') {
      // The flag's ref is its conversation: only the conversations on this page count as read.
      await markFlagsRead(await unreadFlagIds(t._id, 'message_received', docs.map((c) => c._id)));
    } else {
      // Only the messages shown: one sent since this read began stays unread.
      const shown = messages.filter((m) => m.author === 'clinician' && !m.readByPatientAt).map((m) => m._id);
      if (shown.length > 0) await MessageModel.updateMany({ _id: { $in: shown }, treatmentId: t._id, readByPatientAt: null }, { $set: { readByPatientAt: new Date() } });
      return { items: docs.map((c) => conversationView(c, messages, patientMessageView)), total, page: q.page, pageSize: q.pageSize };
    }
    return { items: docs.map((c) => conversationView(c, messages)), total, page: q.page, pageSize: q.pageSize };
  }

  private async storeMessage(t: TreatmentRecord, conversationId: string, author: Author, text: string): Promise<MessageRecord> {
    const message = {
      _id: randomUUID(), conversationId, treatmentId: t._id, author: author.role,
      authorId: author.role === 'clinician' ? author.hsaId : null, text, sentAt: new Date(),
    };
    await MessageModel.create(message);
    return message;
  }

  async startConversation(t: TreatmentRecord, author: Author, body: { subject: string; text: string; notify: boolean }) {
    const conversation = { _id: randomUUID(), treatmentId: t._id, subject: body.subject, startedBy: author.role, createdAt: new Date() };
    await ConversationModel.create(conversation);
    const message = await this.storeMessage(t, conversation._id, author, body.text);
    await this.announce(this.postMessage(t, conversation._id, message._id, author.role, body.notify), async () => {
      await MessageModel.deleteOne({ _id: message._id });
      await ConversationModel.deleteOne({ _id: conversation._id });
    });
    return conversationView(conversation, [message]);
  }

  async reply(t: TreatmentRecord, conversationId: string, author: Author, body: { text: string; notify: boolean }) {
    if (!(await ConversationModel.exists({ _id: conversationId, treatmentId: t._id }))) throw notFound('conversation');
    const message = await this.storeMessage(t, conversationId, author, body.text);
    await this.announce(this.postMessage(t, conversationId, message._id, author.role, body.notify), () => MessageModel.deleteOne({ _id: message._id }));
    return messageView(message);
  }

  async submitForm(t: TreatmentRecord, program: Program, moduleId: string, formId: string, rawAnswers: unknown) {
    const moduleDef = program.modules.find((m) => m.id === moduleId);
    const moduleState = t.modules.find((m) => m.id === moduleId);
    if (!moduleDef || !moduleState) throw notFound('module');
    const form = moduleDef.forms.find((f) => f.id === formId);
    if (!form) throw notFound('form');
    assertPatientMayWrite(t);
    // API.md: a form of a module that is not open (locked, closed, completed) answers 409.
    if (moduleState.state !== 'open') throw conflict(`module "${moduleId}" is ${moduleState.state}`, PROBLEM_TYPES.notOpen);
    const result = answersSchema(form).safeParse(rawAnswers);
    if (!result.success) throw fromZod(result.error, 'body', ['answers']);
    const answers = result.data as Record<string, unknown>;
    const quitDate = form.recordsQuitDate ? (answers[form.recordsQuitDate] as string | undefined) : undefined;
    const refusal = quitDate ? quitDateRefusal(quitDate, swedishDate(t.startedAt.getTime()), swedishDate(Date.now())) : null;
    if (refusal) {
      const field = `answers.${form.recordsQuitDate}`;
      throw new HttpError(400, 'Invalid request', `${field}: ${refusal.message}`, [{ field, ...refusal }]);
    }
    // The follow-up forms record tobacco status, an anonymous fact for the statistics.
    const tobaccoStatus = form.recordsTobaccoStatus ? (answers.tobaccoStatus as string | undefined) : undefined;
    const id = randomUUID();
    const submittedAt = new Date();
    await FormSubmissionModel.create({ _id: id, treatmentId: t._id, moduleId, formId, answers, submittedAt });
    const handle = this.treatments.client.workflow.getHandle(workflowIdFor(t._id));
    await this.announce(() => sendUpdate(handle, submitFormUpdate, [{ submissionId: id, moduleId, formId, ...(quitDate ? { quitDate } : {}), ...(tobaccoStatus ? { tobaccoStatus } : {}) }], `form-${id}`),
      () => FormSubmissionModel.deleteOne({ _id: id }));
    return { id, moduleId, formId, submittedAt: submittedAt.toISOString() };
  }

  async forms(t: TreatmentRecord) {
    const docs = await FormSubmissionModel.find({ treatmentId: t._id }, { answers: 0 }).sort({ submittedAt: -1 }).lean();
    return { items: docs.map((d) => ({ id: d._id, moduleId: d.moduleId, formId: d.formId, submittedAt: iso(d.submittedAt), openedAt: iso(d.openedAt) })) };
  }

  /** The clinician's first look marks the submission opened, its flag read, and puts it on the timeline. */
  async openForm(t: TreatmentRecord, submissionId: string, hsaId: string) {
    const now = new Date();
    const first = await claimByIdWhere<FormSubmissionDoc & { _id: string }>(
      FormSubmissionModel, submissionId, { treatmentId: t._id, openedAt: null }, { $set: { openedAt: now, openedBy: hsaId } },
    );
    const doc = first ?? await findByIdWhere<FormSubmissionDoc & { _id: string }>(FormSubmissionModel, submissionId, { treatmentId: t._id });
    if (!doc) throw notFound('form submission');
    if (first) {
      await TimelineModel.updateOne(
        { _id: `${t._id}:form-opened:${submissionId}` },
        { $setOnInsert: { treatmentId: t._id, type: 'form_opened', at: now, actor: hsaId, moduleId: doc.moduleId, ref: submissionId, data: { formId: doc.formId } } },
        { upsert: true },
      );
      await markFlagsRead([`${t._id}:form:${submissionId}`], now);
    }
    return { id: doc._id, moduleId: doc.moduleId, formId: doc.formId, submittedAt: iso(doc.submittedAt), openedAt: iso(doc.openedAt), answers: doc.answers };
  }

  /** A contact note goes straight onto the timeline: its text stays in MongoDB, never in the workflow. */
  async addNote(t: TreatmentRecord, hsaId: string, body: { kind: string; text: string }) {
    const id = randomUUID();
    const at = new Date();
    await TimelineModel.create({ _id: `${t._id}:note:${id}`, treatmentId: t._id, type: 'note', at, actor: hsaId, moduleId: null, ref: id, data: { kind: body.kind, text: body.text } });
    return { id: `note:${id}`, type: 'note', at: at.toISOString(), actor: hsaId, kind: body.kind, text: body.text };
  }

  async timeline(t: TreatmentRecord, q: { types?: string[]; from?: string; to?: string; order: 'oldest' | 'newest'; page: number; pageSize: number }) {
    const filter: Record<string, unknown> = { treatmentId: t._id };
    if (q.types?.length) filter.type = { $in: q.types };
    if (q.from || q.to) filter.at = { ...(q.from ? { $gte: new Date(q.from) } : {}), ...(q.to ? { $lte: new Date(q.to) } : {}) };
    const [total, docs] = await Promise.all([
      TimelineModel.countDocuments(filter),
      TimelineModel.find(filter).sort(q.order === 'newest' ? { at: -1, _id: -1 } : { at: 1, _id: 1 }).skip((q.page - 1) * q.pageSize).limit(q.pageSize).lean(),
    ]);
    return {
      total, page: q.page, pageSize: q.pageSize,
      items: docs.map((d) => ({
        id: d._id.slice(t._id.length + 1), type: d.type, at: iso(d.at), actor: d.actor ?? null, moduleId: d.moduleId ?? null, ref: d.ref ?? null, data: d.data ?? null,
      })),
    };
  }
}
