// One set of real servers for the whole suite: the Temporal dev server and FerretDB (or those
// named by TEMPORAL_ADDRESS / MONGODB_URI), a worker on its own task queue, and the API over HTTP.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { installWorkerRuntime } from '../../infra/worker-runtime';
import type { Client } from '@temporalio/client';
import type { Config } from '../../infra/config';
import { startSystem } from '../../system';
import { developmentServices, type DevServices } from '../../dev';
import { DEV_CARE_UNITS } from '../../dev/care-units';
import { signDevToken, type Caller } from '../../api/auth';
import type { CapturedMail, SmsCapture } from '../../dev/capture';
import { contractOf, type Contract } from './contract';
import { todaysWorkflowBundle } from './bundle';

/** Short durations so that tests of time never wait long. */
export const TEST_OVERRIDES = {
  tobakshjalpen: {
    durations: {
      moduleWork: 'P10D', maintenance: 'PT3S', inactivityFlag: 'PT6S',
      // Follow-ups in seconds after step 4 (no quit date); a quit date in the future keeps them far away.
      followUps: ['PT4S', 'PT8S', 'PT12S'], followUpReminder: 'PT3S', followUpEscalation: 'PT5S',
    },
    // Individual modules have no work time in the shipped program; a region may give them one, as
    // here two whose work time runs out in seconds, for the deadline tests.
    modules: [
      { id: 'surgery', hasWorkTime: true, workDuration: 'PT3S' }, { id: 'young', hasWorkTime: true, workDuration: 'PT3S' },
      // A region's own text for one section, as PROGRAM_OVERRIDES carries it (docs/clinical.md), with
      // markup that must not run on the patient's page (test/web/patient.test.ts).
      {
        id: 'intro',
        sections: [{
          id: 'how-it-works',
          body: 'Regionens egen text: **så fungerar** programmet hos oss.\n\n<script>window.__injected = "script"</script>\n\n'
            + '<img src="x" onerror="window.__injected = \'img\'">\n\n[en länk](javascript:window.__injected=\'link\')',
        }],
      },
    ],
  },
};

export interface Harness {
  config: Config;
  dataDir: string;
  baseUrl: string;
  client: Client;
  embedded: EmbeddedAddresses;
  /** What the real SMTP server and the local SMS gateway received. */
  mails: CapturedMail[];
  sms: SmsCapture;
  token(claims: { role: Caller['role']; sub: string; careUnits?: string[]; name?: string }, expiresIn?: string): Promise<string>;
  /** The served /openapi.json, against which every answer `request` receives is checked. */
  contract(): Promise<Contract>;
  request(method: string, url: string, opts?: { token?: string; body?: unknown; rawBody?: string }): Promise<{ status: number; body: any; headers: Headers }>;
}

let booting: Promise<{ harness: Harness; stop: () => Promise<void> }> | undefined;

export async function harness(): Promise<Harness> {
  booting ??= boot();
  return (await booting).harness;
}

export async function stopHarness(): Promise<void> {
  if (booting) await (await booting).stop();
}

export async function quietTemporalRuntime(): Promise<void> {
  await installWorkerRuntime({ logLevel: process.env.TEMPORAL_LOG_LEVEL === 'WARN' ? 'WARN' : 'ERROR' });
}

/** The embedded servers' addresses (for tests that start processes of their own against them). */
export interface EmbeddedAddresses { temporalUiUrl: string | null; temporalAddress: string; mongoUri: string }

async function boot() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tobakshjalpen-test-'));
  const overrides = path.join(dataDir, 'program-overrides.json');
  writeFileSync(overrides, JSON.stringify(TEST_OVERRIDES));
  const system = await startSystem({
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      // An external MongoDB gets a database of its own per run.
      MONGODB_URI: process.env.MONGODB_URI ? process.env.MONGODB_URI.replace(/\/[^/?]*(\?|$)/, `/tobakshjalpen_test_${Date.now()}_${randomUUID().slice(0, 8)}$1`) : undefined,
      PROGRAM_OVERRIDES: overrides,
      TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
      // Free ports for the embedded servers; mail and SMS always to local capture.
      TEMPORAL_PORT: '0', TEMPORAL_UI_PORT: '0', MONGODB_PORT: '0', SMTP_URL: undefined, SMS_GATEWAY_URL: undefined,
      NOTIFICATION_MAX_ATTEMPTS: '3',
      // Tests reuse phone numbers across many treatments; the quota itself is tested with its own setting.
      NOTIFY_MAX_PER_RECIPIENT_PER_HOUR: '10000',
      // Tests write many messages to one treatment; the write quota is tested with its own setting.
      PATIENT_WRITES_PER_HOUR: '100000',
      RATE_LIMIT_PER_MINUTE: '100000',
      NIGHTLY_JOBS: 'off',
      // The demo units' names (dev/care-units.ts) and the statistics tests' regions.
      CARE_UNIT_REGIONS: JSON.stringify({ ...DEV_CARE_UNITS, 'unit-stat-1': 'region-x', 'unit-stat-2': 'region-x', 'unit-stat-3': 'region-y', 'unit-stat-4': 'region-z' }),
    },
    services: developmentServices({ log: (line) => console.log(line) }),
    worker: { workflowBundle: await todaysWorkflowBundle() },
    api: true,
    temporalLogLevel: process.env.TEMPORAL_LOG_LEVEL === 'WARN' ? 'WARN' : 'ERROR',
  });
  const { config, client } = system;
  const dev = system.services as DevServices;
  const mail = dev.mail!;
  const sms = dev.sms!;
  const api = { url: system.apiUrl! };
  const embedded = { temporalUiUrl: system.temporalUiUrl, temporalAddress: config.temporal.address!, mongoUri: config.mongo.uri! };

  let served: Promise<Contract> | undefined;
  const contract = () => (served ??= fetch(`${api.url}/openapi.json`).then((r) => r.json() as Promise<Parameters<typeof contractOf>[0]>).then(contractOf));

  const harness: Harness = {
    config,
    contract,
    dataDir,
    baseUrl: api.url,
    client,
    embedded,
    mails: mail.mails,
    sms,
    token: (claims, expiresIn) => signDevToken(config, claims, expiresIn),
    async request(method, url, opts = {}) {
      const headers: Record<string, string> = {};
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: string | undefined;
      if (opts.rawBody !== undefined) body = opts.rawBody;
      else if (opts.body !== undefined) body = JSON.stringify(opts.body);
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${api.url}${url}`, { method, headers, body, redirect: 'manual' }); // a redirect (the sign-in's 303) is an answer to check
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
      // Every answer the suite sees is checked against the document the API serves.
      (await contract()).check(method, url, res.status, parsed, res.headers.get('content-type'));
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
  const stop = () => system.stop();
  return { harness, stop };
}
