// Bundles today's workflow code once into a file (WORKFLOW_BUNDLE for the workers that load it):
// `npm test` runs it before its shards, so no test process spends seconds bundling the same code.
// Usage: tsx scripts/bundle-workflows.ts <out.js>
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

async function main() {
  const out = process.argv[2];
  if (!out) throw new Error('usage: tsx scripts/bundle-workflows.ts <out.js>');
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, '..', 'workflows', 'index.ts'), logger: new DefaultLogger('ERROR') });
  writeFileSync(out, code);
  console.log(`Workflow code bundled once for this run (${Math.round(code.length / 1024)} kB)`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
