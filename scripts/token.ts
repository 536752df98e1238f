// `npm run --silent token -- --role clinician --sub <hsa-id> --care-unit <id> [--name 'Anna Andersson']`
// `npm run --silent token -- --role patient --personnummer <pnr>`
// Prints one development token, signed with the key that `npm start` (same DATA_DIR) accepts.
import { parseArgs } from 'node:util';
import { ensureDevSecrets, loadConfig } from '../infra/config';
import { signDevToken } from '../api/auth';

async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      'care-unit': { type: 'string', multiple: true },
      personnummer: { type: 'string' },
      name: { type: 'string' },
      expires: { type: 'string', default: '8h' },
    },
  });
  const role = values.role;
  if (role !== 'clinician' && role !== 'patient' && role !== 'ops') throw new Error('--role must be clinician, patient or ops');
  const sub = role === 'patient' ? values.personnummer ?? values.sub : values.sub;
  if (!sub) throw new Error(role === 'patient' ? '--personnummer is required' : '--sub is required');
  const careUnits = values['care-unit'] ?? [];
  if (role === 'clinician' && careUnits.length === 0) throw new Error('--care-unit is required for a clinician');
  ensureDevSecrets(); // the key `npm start` (same DATA_DIR) makes too
  const token = await signDevToken(loadConfig(undefined, { auth: true, development: true }), { role, sub, ...(role === 'clinician' ? { careUnits, ...(values.name ? { name: values.name } : {}) } : {}) }, values.expires);
  process.stdout.write(`${token}\n`);
}

main().catch((err) => {
  console.error(`token: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
