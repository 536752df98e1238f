// The OpenAPI 3.1 document, generated from the route registrations and the zod schemas that validate the requests.
import path from 'node:path';
import express, { Router } from 'express';
import { z } from 'zod';
import type { RouteDoc } from './route';

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

/** The document, built from the registrations the app mounts. */
export function openApiDocument(routes: RouteDoc[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
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
