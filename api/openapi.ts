// The OpenAPI 3.1 document, generated from the route registrations and the zod schemas that validate the requests.
import path from 'node:path';
import express, { Router } from 'express';
import { z } from 'zod';
import type { RouteDoc } from './route';
import { RELEASE } from '../infra/release';

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;

type Json = Record<string, unknown>;

/**
 * The JSON Schema of an answer. Schemas named with `.meta({ id })` become components (Treatment,
 * Flag, …) that the typed client names; every other part is inlined.
 */
function responseSchema(schema: z.ZodType, components: Json): Json {
  const js = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', target: 'draft-2020-12', reused: 'inline' }) as Json;
  const defs = (js.$defs ?? {}) as Record<string, Json>;
  delete js.$defs;
  delete js.$schema;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : rewrite(v)]));
  };
  for (const [name, def] of Object.entries(defs)) {
    const { id: _id, ...rest } = rewrite(def) as Json;
    components[name] = rest;
  }
  const top = rewrite(js) as Json;
  // A named schema at the top is itself a component.
  if (typeof top.id === 'string') {
    const { id, ...rest } = top;
    components[id] = rest;
    return { $ref: `#/components/schemas/${id}` };
  }
  return top;
}

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

/** The document, built from the registrations the app mounts. */
export function openApiDocument(routes: RouteDoc[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Json = {};
  for (const route of routes) {
    const ok: Json = { description: route.ok === 204 ? 'No content' : route.ok >= 300 && route.ok < 400 ? 'Redirect (Location header)' : 'OK' };
    if (route.response) ok.content = { 'application/json': { schema: responseSchema(route.response, components) } };
    else if (route.produces) ok.content = { [route.produces]: { schema: { type: 'string' } } };
    const responses: Record<string, unknown> = { [route.ok]: ok };
    if (route.produces === 'text/event-stream') responses['406'] = { description: 'The request did not accept text/event-stream', content: { 'application/problem+json': { schema: problem } } };
    for (const status of route.also ?? []) responses[status] = { ...ok, description: route.alsoDescription ?? 'The same body with another status' };
    if (route.params || route.query || route.body) responses['400'] = { description: 'Invalid input; the field is named', content: { 'application/problem+json': { schema: problem } } };
    if (route.role !== 'none') {
      responses['401'] = { description: 'No or bad token', content: { 'application/problem+json': { schema: problem } } };
      responses['403'] = { description: 'Not for this role', content: { 'application/problem+json': { schema: problem } } };
      responses['404'] = { description: 'Unknown, or not visible to this caller', content: { 'application/problem+json': { schema: problem } } };
      responses['409'] = { description: 'Not allowed in the treatment\'s current state', content: { 'application/problem+json': { schema: problem } } };
      responses['429'] = route.patientWrite
        ? { description: 'Rate limited, or past the treatment\'s hourly quota of patient writes (Retry-After)', content: { 'application/problem+json': { schema: problem } } }
        : { description: 'Rate limited' };
      responses['503'] = { description: 'A backing service is unavailable', content: { 'application/problem+json': { schema: problem } } };
    } else {
      // The address-based rate limit (api/app.ts) counts every request without a caller, these too.
      responses['429'] = { description: 'Rate limited (per address)', content: { 'application/problem+json': { schema: problem } } };
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
    info: { title: 'Tobakshjälpen treatment engine', version: RELEASE, description: 'REST API for clinicians (behandlare), patients (invånare) and operations staff.' },
    security: [{ bearer: [] }, { session: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        // The web app's session (api/session.ts); `__Host-tobakshjalpen-session` over https. Writes need X-CSRF: 1.
        session: { type: 'apiKey', in: 'cookie', name: 'tobakshjalpen-session', description: 'The web app\'s session cookie (HttpOnly, from /auth/login; __Host-tobakshjalpen-session over https). Calls that change something need the header X-CSRF: 1 with it.' },
      },
      schemas: {
        ...components,
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
            errors: {
              type: 'array',
              description: 'What is wrong, at the field it names: `code` is machine-readable (zod\'s issue codes too_small, too_big, invalid_type, invalid_format, invalid_value, unrecognized_keys, custom; and unknown, rate_limited, wrong_code, code_expired, no_code), with the limit (`minimum`/`maximum`, of `origin`: number, string, array, date) or `format` it names. `message` is English for developers.',
              items: {
                type: 'object',
                required: ['field', 'message', 'code'],
                properties: {
                  field: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' }, origin: { type: 'string' },
                  minimum: { oneOf: [{ type: 'number' }, { type: 'string' }] }, maximum: { oneOf: [{ type: 'number' }, { type: 'string' }] }, format: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
    paths,
  };
}

/** /openapi.json and /docs (Swagger UI from the npm package, no CDN, scripts from files so the CSP holds). */
export function docsRouter(routes: RouteDoc[]): Router {
  const router = Router();
  const document = openApiDocument(routes);
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
