// The compose file's schema script waits for PostgreSQL with `nc -z` (the admin-tools image has
// it). Where it is missing, Debian's netcat-openbsd is installed, as scripts/provision.ts installs
// Chromium for the browser tests.
import { spawnSync } from 'node:child_process';

export function ensureNetcat(log: (line: string) => void): void {
  if (spawnSync('sh', ['-c', 'command -v nc'], { stdio: 'ignore' }).status === 0) return;
  log('Installing netcat (apt-get install -y netcat-openbsd): deploy/temporal/setup-postgres-schema.sh calls nc …');
  const asRoot = process.getuid?.() === 0;
  const apt = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
  const run = (args: string[]) => spawnSync(asRoot ? apt[0]! : 'sudo', [...(asRoot ? apt.slice(1) : ['-n', ...apt]), ...args], { stdio: 'inherit' });
  let result = run(['install', '-y', 'netcat-openbsd']);
  if (result.status !== 0) {
    run(['update']);
    result = run(['install', '-y', 'netcat-openbsd']);
  }
  if (result.status !== 0) throw new Error('nc is needed by deploy/temporal/setup-postgres-schema.sh and could not be installed: apt-get install -y netcat-openbsd');
}
