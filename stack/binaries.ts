// The production topology's binaries, built once from the Go module proxy at the versions of
// temporal-docker-compose.yml's images and cached beside the dev servers (dev/servers.ts):
//   temporalio/server:1.29.1         → go.temporal.io/server/cmd/server (temporal-server)
//   temporalio/admin-tools:1.29.1-…  → go.temporal.io/server/cmd/tools/sql (temporal-sql-tool), the
//                                      schema files of the same module, and the Temporal CLI
//   temporalio/ui:2.34.0             → github.com/temporalio/ui-server/v2/cmd/server (ui-server, built
//                                      in a copy of the module: its go.mod has a replace directive)
// The images' own config templates come from the same module versions (docker/config_template.yaml,
// docker/config-template.yaml) and are kept beside the binaries.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBinaries, type ServerPaths } from '../dev/servers';

export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
export const UI_SERVER_MODULE = 'github.com/temporalio/ui-server/v2';
export const UI_SERVER_VERSION = 'v2.34.0';

export interface StackBinaries {
  /** temporal-server, temporal-sql-tool, ui-server and temporal (the CLI) in one directory, for PATH. */
  binDir: string;
  temporalServer: string;
  sqlTool: string;
  uiServer: string;
  temporalCli: string;
  /** FerretDB, the dev store, for the compose file's mongodb service. */
  ferretdb?: string;
  /** The server module's schema/ (what admin-tools has at /etc/temporal/schema). */
  schemaDir: string;
  /** The server image's config template (docker/config_template.yaml). */
  serverConfigTemplate: string;
  /** The UI image's config template (docker/config-template.yaml). */
  uiConfigTemplate: string;
}

type Log = (line: string) => void;

function goModDir(module: string, version: string): string {
  const dl = spawnSync('go', ['mod', 'download', '-json', `${module}@${version}`], { encoding: 'utf8' });
  if (dl.status !== 0) throw new Error(`go mod download ${module}@${version} failed: ${dl.stderr || dl.stdout}`);
  return (JSON.parse(dl.stdout) as { Dir: string }).Dir;
}

/** `nice go install …` into binDir: the builds share two cores with everything else on the machine. */
function goInstall(binDir: string, targets: string[], label: string, log: Log): Promise<void> {
  return niceGo(['install', ...targets], { GOBIN: binDir }, undefined, label, log);
}

/** `nice go build -o target pkg` in a module directory. */
function goBuild(dir: string, target: string, pkg: string, label: string, log: Log): Promise<void> {
  return niceGo(['build', '-o', target, pkg], {}, dir, label, log);
}

function niceGo(args: string[], env: Record<string, string>, cwd: string | undefined, label: string, log: Log): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    // eslint-disable-next-line no-restricted-properties
    const child = spawn('nice', ['-n', '15', 'go', ...args], { cwd, env: { ...process.env, ...env, GOFLAGS: '-buildvcs=false' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (b: Buffer) => { tail = (tail + b.toString()).slice(-4000); };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(() => log(`  … ${label}: ${Math.round((Date.now() - started) / 1000)} s`), 30_000);
    child.on('error', (err) => { clearInterval(timer); reject(err); });
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code === 0) { log(`  ${label}: built in ${Math.round((Date.now() - started) / 1000)} s`); resolve(); } else reject(new Error(`${label} failed (exit ${code}):\n${tail}`));
    });
  });
}

function works(bin: string): boolean {
  return existsSync(bin) && spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Finds or builds everything the stack runs; the first time takes several minutes. */
export async function ensureStackBinaries(paths: ServerPaths, log: Log = console.log): Promise<StackBinaries> {
  const { temporal, ferretdb } = await ensureBinaries(paths, log);
  if (!temporal) throw new Error('the production stack needs Go (go install): the Temporal CLI, server and UI server are built from the Go module proxy');
  const root = path.join(paths.cacheDir, 'stack');
  const serverHome = path.join(root, `temporal-server-${TEMPORAL_SERVER_VERSION}`);
  const uiHome = path.join(root, `ui-server-${UI_SERVER_VERSION}`);
  const binDir = path.join(root, 'bin');
  mkdirSync(binDir, { recursive: true });
  const temporalServer = path.join(serverHome, 'temporal-server');
  const sqlTool = path.join(serverHome, 'temporal-sql-tool');
  const uiServer = path.join(uiHome, 'ui-server');
  const builds: Array<() => Promise<void>> = [];
  if (!works(temporalServer) || !works(sqlTool) || !existsSync(path.join(serverHome, 'schema'))) {
    builds.push(async () => {
      log(`Building the Temporal server and temporal-sql-tool ${TEMPORAL_SERVER_VERSION} from the Go module proxy (first time only, several minutes) …`);
      const work = path.join(serverHome, 'gobin');
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work, { recursive: true });
      await goInstall(work, [`${TEMPORAL_SERVER_MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`, `${TEMPORAL_SERVER_MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`], 'temporal server build', log);
      const src = goModDir(TEMPORAL_SERVER_MODULE, TEMPORAL_SERVER_VERSION);
      rmSync(path.join(serverHome, 'schema'), { recursive: true, force: true });
      cpSync(path.join(src, 'schema'), path.join(serverHome, 'schema'), { recursive: true });
      cpSync(path.join(src, 'docker', 'config_template.yaml'), path.join(serverHome, 'config_template.yaml'));
      spawnSync('chmod', ['-R', 'u+w', serverHome]);
      renameSync(path.join(work, 'server'), temporalServer);
      renameSync(path.join(work, 'sql'), sqlTool);
      rmSync(work, { recursive: true, force: true });
    });
  }
  if (!works(uiServer)) {
    builds.push(async () => {
      // `go install …@v2.34.0` refuses the module: its go.mod has a replace directive (grpc-gateway
      // → temporalio's fork). As the main module the directive applies, so: a copy of the module
      // from the proxy, built there (as dev/servers.ts builds FerretDB).
      log(`Building the Temporal UI server ${UI_SERVER_VERSION} from the Go module proxy (first time only, a few minutes) …`);
      const src = goModDir(UI_SERVER_MODULE, UI_SERVER_VERSION);
      const work = mkdtempSync(path.join(os.tmpdir(), 'ui-server-src-'));
      try {
        cpSync(src, work, { recursive: true });
        spawnSync('chmod', ['-R', 'u+w', work]);
        mkdirSync(uiHome, { recursive: true });
        await goBuild(work, uiServer, './cmd/server', 'ui-server build', log);
        cpSync(path.join(src, 'docker', 'config-template.yaml'), path.join(uiHome, 'config-template.yaml'));
        spawnSync('chmod', ['u+w', path.join(uiHome, 'config-template.yaml')]);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  }
  // One after the other: two Go builds side by side only fight over the same two cores.
  for (const build of builds) await build();
  for (const bin of [temporalServer, sqlTool, uiServer]) chmodSync(bin, 0o755);
  // The names the compose file's scripts call, on one PATH directory.
  for (const [name, target] of [['temporal-server', temporalServer], ['temporal-sql-tool', sqlTool], ['ui-server', uiServer], ['temporal', temporal]] as const) {
    const link = path.join(binDir, name);
    rmSync(link, { force: true });
    spawnSync('ln', ['-s', target, link]);
  }
  return {
    binDir, temporalServer, sqlTool, uiServer, temporalCli: temporal, ferretdb,
    schemaDir: path.join(serverHome, 'schema'),
    serverConfigTemplate: path.join(serverHome, 'config_template.yaml'),
    uiConfigTemplate: path.join(uiHome, 'config-template.yaml'),
  };
}
