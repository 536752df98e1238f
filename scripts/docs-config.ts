// `npm run docs:config`: writes docs/configuration.md and .env.example from the settings'
// declaration in infra/config.ts (test/config-declaration.test.ts fails when they differ).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_FILES, configurationMarkdown, envExample } from '../infra/config-docs';

const root = path.join(__dirname, '..');
writeFileSync(path.join(root, GENERATED_FILES.doc), configurationMarkdown());
writeFileSync(path.join(root, GENERATED_FILES.envExample), envExample());
console.log(`wrote ${GENERATED_FILES.doc} and ${GENERATED_FILES.envExample}`);
