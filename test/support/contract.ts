// The API's contract, checked on every answer the suite receives: each JSON body of a documented
// status must match the schema /openapi.json gives for that method, path and status. A drift
// between what the API answers and what a generated client expects fails the test that saw it.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

interface Operation { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }
interface Document { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } }

export interface Contract {
  /** Throws, naming the route and what differs, when a JSON answer does not match its documented schema. */
  check(method: string, url: string, status: number, body: unknown, contentType: string | null): void;
  /** Which documented (method, path, status) answers have been checked so far. */
  seen: Set<string>;
  document: Document;
}

export function contractOf(document: Document): Contract {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'doc', components: document.components });
  const routes = Object.entries(document.paths).map(([template, ops]) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
    ops,
  }));
  const validators = new Map<string, ValidateFunction>();
  const seen = new Set<string>();
  const validatorOf = (key: string, schema: unknown) => {
    let v = validators.get(key);
    if (!v) {
      // References point into the document's components.
      const text = JSON.stringify(schema).replace(/"#\/components\//g, '"doc#/components/');
      v = ajv.compile(JSON.parse(text));
      validators.set(key, v);
    }
    return v;
  };
  return {
    seen,
    document,
    check(method, url, status, body, contentType) {
      const path = url.split('?')[0]!;
      // A literal path (…/activities/x) wins over a template ({occasionId}) where both match.
      const route = routes.filter((r) => r.pattern.test(path)).sort((a, b) => a.template.split('{').length - b.template.split('{').length)[0];
      const op = route?.ops[method.toLowerCase()];
      if (!route || !op) return; // not a documented route (404s of unknown paths, say)
      const documented = op.responses[String(status)];
      if (!documented) {
        // A success must be documented; a refusal by the HTTP layer itself (431, 413) or an outage
        // shows in the test's own assertions.
        if (status >= 300) return;
        throw new Error(`${method} ${route.template} answered ${status}, which /openapi.json does not list`);
      }
      const key = `${method.toUpperCase()} ${route.template} ${status}`;
      seen.add(key);
      const json = documented.content?.['application/json'] ?? documented.content?.['application/problem+json'];
      if (!json) return;
      if (!contentType?.includes('json')) throw new Error(`${key}: documented as JSON, answered ${contentType ?? 'without a content type'}`);
      const validate = validatorOf(key, json.schema);
      if (!validate(body)) {
        throw new Error(`${key}: the answer does not match /openapi.json: ${ajv.errorsText(validate.errors, { separator: '; ' })}\n${JSON.stringify(body).slice(0, 2000)}`);
      }
    },
  };
}
