// The web app's API types (web/src/api/schema.d.ts, committed) are the ones the API serves: made
// again from /openapi.json into a temporary file and compared. When this fails, the API changed:
// run `npm run web:types` and let the web app's type check say what to adapt.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { SCHEMA_FILE, schemaSource, servedOpenApi } from '../../web/scripts/openapi-types';

describe('web: the generated API types', () => {
  it('match the OpenAPI document the API serves (else: npm run web:types)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tobakshjalpen-schema-'));
    try {
      const fresh = path.join(dir, 'schema.d.ts');
      writeFileSync(fresh, await schemaSource(await servedOpenApi()));
      const committed = readFileSync(SCHEMA_FILE, 'utf8');
      const regenerated = readFileSync(fresh, 'utf8');
      const firstDifference = [...regenerated.split('\n')].findIndex((line, i) => line !== committed.split('\n')[i]);
      expect(regenerated === committed, `web/src/api/schema.d.ts is stale (first difference at line ${firstDifference + 1}): run npm run web:types`).to.equal(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
