// Bundles today's workflow code once into a file (WORKFLOW_BUNDLE for the workers that load it):
// `npm test` runs it before its shards, so no test process spends seconds bundling the same code.
// Usage: tsx scripts/bundle-workflows.ts <out.js>
import { writeFileSync } from 'node:fs';
import { bundleTodaysWorkflows } from '../worker/workflow-bundle';

async function main() {
  const out = process.argv[2];
  if (!out) throw new Error('usage: tsx scripts/bundle-workflows.ts <out.js>');
  const { code } = await bundleTodaysWorkflows();
  writeFileSync(out, code);
  console.log(`Workflow code bundled once for this run (${Math.round(code.length / 1024)} kB)`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
