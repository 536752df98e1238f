// The OpenAPI 3.1 document, generated from the same zod schemas that validate the requests.
import path from 'node:path';
import express, { Router } from 'express';
import { z } from 'zod';
import * as s from './schemas';
import { accessLogSearchBody } from './access-log';
import { codecBody } from './codec';

type Role = 'clinician' | 'patient' | 'ops' | 'none' | 'clinician+ops';
export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string; // OpenAPI form: /api/treatments/{id}
  summary: string;
  role: Role;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  ok: number;
}

const program = z.object({ programId: z.string() });
const flag = z.object({ id: z.string() });

export const ROUTES: RouteDoc[] = [
  { method: 'post', path: '/api/treatments', summary: 'Starta nytt moment: start a treatment (200 with the open one when it exists)', role: 'clinician', body: s.createTreatmentBody, ok: 201 },
  { method: 'get', path: '/api/treatments', summary: 'List treatments of your care units', role: 'clinician', query: s.listTreatmentsQuery, ok: 200 },
  { method: 'get', path: '/api/treatments/{id}', summary: 'One treatment', role: 'clinician', params: s.treatmentParams, ok: 200 },
  { method: 'put', path: '/api/treatments/{id}/welcome-text', summary: 'Edit the welcome text (välkomsttext)', role: 'clinician', params: s.treatmentParams, body: s.welcomeTextBody, ok: 200 },
  { method: 'post', path: '/api/treatments/{id}/modules/{moduleId}/open', summary: 'Open a module', role: 'clinician', params: s.moduleParams, ok: 200 },
  { method: 'post', path: '/api/treatments/{id}/modules/{moduleId}/current', summary: 'Sätt till aktuell', role: 'clinician', params: s.moduleParams, ok: 200 },
  { method: 'post', path: '/api/treatments/{id}/modules/{moduleId}/complete', summary: 'Mark completed (avklarad)', role: 'clinician', params: s.moduleParams, ok: 200 },
  { method: 'patch', path: '/api/treatments/{id}/modules/{moduleId}', summary: 'Give more days (förläng svarstiden)', role: 'clinician', params: s.moduleParams, body: s.workDaysBody, ok: 200 },
  { method: 'get', path: '/api/treatments/{id}/conversations', summary: 'Conversations', role: 'clinician', params: s.treatmentParams, ok: 200 },
  { method: 'post', path: '/api/treatments/{id}/conversations', summary: 'Start a conversation', role: 'clinician', params: s.treatmentParams, body: s.newConversationBody, ok: 201 },
  { method: 'post', path: '/api/treatments/{id}/conversations/{cid}/messages', summary: 'Reply', role: 'clinician', params: s.treatmentConversationParams, body: s.newMessageBody, ok: 201 },
  { method: 'get', path: '/api/treatments/{id}/forms', summary: 'Submitted forms (inskickade svar)', role: 'clinician', params: s.treatmentParams, ok: 200 },
  { method: 'get', path: '/api/treatments/{id}/forms/{submissionId}', summary: 'One submission with answers; the first open marks it read', role: 'clinician', params: s.submissionParams, ok: 200 },
  { method: 'get', path: '/api/treatments/{id}/timeline', summary: 'Tidslinje', role: 'clinician', params: s.treatmentParams, query: s.timelineQuery, ok: 200 },
  { method: 'put', path: '/api/treatments/{id}/clinician', summary: 'Byte av behandlare', role: 'clinician', params: s.treatmentParams, body: s.changeClinicianBody, ok: 200 },
  { method: 'post', path: '/api/treatments/{id}/end', summary: 'Avsluta with an end reason', role: 'clinician', params: s.treatmentParams, body: s.endBody, ok: 200 },
  { method: 'post', path: '/api/treatments/{id}/purge', summary: 'Gallra invånare (ended treatments only)', role: 'clinician', params: s.treatmentParams, ok: 202 },
  { method: 'get', path: '/api/treatments/{id}/activity-plans', summary: 'Activity plans', role: 'clinician', params: s.treatmentParams, ok: 200 },
  { method: 'post', path: '/api/treatments/{id}/activity-plans', summary: 'Add an activity plan', role: 'clinician', params: s.treatmentParams, body: s.activityPlanBody, ok: 201 },
  { method: 'get', path: '/api/treatments/{id}/activity-plans/{planId}', summary: 'One activity plan with its occasions (due, answered, missed) and answers', role: 'clinician', params: s.planParams, ok: 200 },
  { method: 'post', path: '/api/treatments/{id}/notes', summary: 'Kontaktanteckning: record a phone call, visit or other contact on the timeline', role: 'clinician', params: s.treatmentParams, body: s.contactNoteBody, ok: 201 },
  { method: 'delete', path: '/api/treatments/{id}/activity-plans/{planId}', summary: 'Stop an activity plan', role: 'clinician', params: s.planParams, ok: 204 },
  { method: 'get', path: '/api/flags', summary: 'Flaggor of your care units', role: 'clinician', query: s.flagsQuery, ok: 200 },
  { method: 'post', path: '/api/flags/{id}/read', summary: 'Mark a flag read', role: 'clinician', params: flag, ok: 200 },
  { method: 'get', path: '/api/clinicians/me/settings', summary: 'Min profil', role: 'clinician', ok: 200 },
  { method: 'put', path: '/api/clinicians/me/settings', summary: 'Min profil: e-mail per flag type', role: 'clinician', body: s.clinicianSettingsBody, ok: 200 },
  { method: 'get', path: '/api/statistics', summary: 'Statistik', role: 'clinician+ops', query: s.statisticsQuery, ok: 200 },
  { method: 'get', path: '/api/programs/{programId}', summary: 'A program: modules, forms, end reasons, durations', role: 'clinician+ops', params: program, ok: 200 },
  { method: 'get', path: '/api/me/treatment', summary: 'The patient\'s treatment (the first call activates it)', role: 'patient', ok: 200 },
  { method: 'post', path: '/api/me/treatment/modules/{moduleId}/sections/{sectionId}', summary: 'Section progress', role: 'patient', params: s.sectionParams, body: s.sectionProgressBody, ok: 200 },
  { method: 'post', path: '/api/me/treatment/modules/{moduleId}/forms/{formId}', summary: 'Submit a form', role: 'patient', params: s.formParams, body: s.submitFormBody, ok: 201 },
  { method: 'get', path: '/api/me/treatment/conversations', summary: 'The patient\'s conversations', role: 'patient', ok: 200 },
  { method: 'post', path: '/api/me/treatment/conversations', summary: 'Start a conversation', role: 'patient', body: s.newConversationBody, ok: 201 },
  { method: 'post', path: '/api/me/treatment/conversations/{cid}/messages', summary: 'Reply', role: 'patient', params: s.conversationParams, body: s.newMessageBody, ok: 201 },
  { method: 'get', path: '/api/me/treatment/activities', summary: 'Activity occasions', role: 'patient', ok: 200 },
  { method: 'post', path: '/api/me/treatment/activities/{occasionId}', summary: 'Answer an occasion', role: 'patient', params: s.occasionParams, body: s.occasionAnswerBody, ok: 201 },
  { method: 'get', path: '/api/me/settings', summary: 'The patient\'s notification settings', role: 'patient', ok: 200 },
  { method: 'put', path: '/api/me/settings', summary: 'Change notification settings', role: 'patient', body: s.patientSettingsBody, ok: 200 },
  { method: 'get', path: '/api/me/access-log', summary: 'Who (care unit) accessed my data, when', role: 'patient', ok: 200 },
  { method: 'post', path: '/api/ops/access-log/search', summary: 'Log review (loggranskning) by patient or clinician', role: 'ops', body: accessLogSearchBody, ok: 200 },
  { method: 'post', path: '/codec/encode', summary: 'Codec server for the Temporal UI: encode', role: 'ops', body: codecBody, ok: 200 },
  { method: 'post', path: '/codec/decode', summary: 'Codec server for the Temporal UI: decode', role: 'ops', body: codecBody, ok: 200 },
  { method: 'get', path: '/healthz', summary: 'The process is up', role: 'none', ok: 200 },
  { method: 'get', path: '/readyz', summary: 'Temporal and MongoDB are reachable', role: 'none', ok: 200 },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics (HTTP, domain counters, process)', role: 'none', ok: 200 },
  { method: 'get', path: '/openapi.json', summary: 'This document', role: 'none', ok: 200 },
  { method: 'get', path: '/docs', summary: 'Interactive API documentation', role: 'none', ok: 200 },
];

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;

function parameters(route: RouteDoc) {
  const out: unknown[] = [];
  for (const [where, schema] of [['path', route.params], ['query', route.query]] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, prop] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: prop });
    }
  }
  return out;
}

const problem = { $ref: '#/components/schemas/Problem' };

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const responses: Record<string, unknown> = { [route.ok]: { description: 'OK' } };
    if (route.params || route.query || route.body) responses['400'] = { description: 'Invalid input; the field is named', content: { 'application/problem+json': { schema: problem } } };
    if (route.role !== 'none') {
      responses['401'] = { description: 'No or bad token', content: { 'application/problem+json': { schema: problem } } };
      responses['403'] = { description: 'Not for this role', content: { 'application/problem+json': { schema: problem } } };
      responses['404'] = { description: 'Unknown, or not visible to this caller', content: { 'application/problem+json': { schema: problem } } };
      responses['409'] = { description: 'Not allowed in the treatment\'s current state', content: { 'application/problem+json': { schema: problem } } };
      responses['429'] = { description: 'Rate limited' };
      responses['503'] = { description: 'A backing service is unavailable', content: { 'application/problem+json': { schema: problem } } };
    }
    (paths[route.path] ??= {})[route.method] = {
      summary: route.summary,
      'x-roles': route.role,
      ...(route.role === 'none' ? { security: [] } : {}),
      parameters: parameters(route),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Tobakshjälpen treatment engine', version: '1.0.0', description: 'REST API for clinicians (behandlare), patients (invånare) and operations staff.' },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
    paths,
  };
}

/** /openapi.json and /docs (Swagger UI from the npm package, no CDN, scripts from files so the CSP holds). */
export function docsRouter(): Router {
  const router = Router();
  const document = openApiDocument();
  router.get('/openapi.json', (_req, res) => { res.json(document); });
  const uiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  router.get('/docs', (_req, res) => {
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tobakshjälpen API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send("window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });");
  });
  router.use('/docs/assets', express.static(uiDir, { index: false }));
  return router;
}
