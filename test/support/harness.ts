// One set of real servers for the whole suite: the Temporal dev server and FerretDB (or those
// named by TEMPORAL_ADDRESS / MONGODB_URI), a worker on its own task queue, and the API over HTTP.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { installWorkerRuntime } from '../../infra/worker-runtime';
import type { Client } from '@temporalio/client';
import { loadConfig, type Config } from '../../infra/config';
import { startEmbedded, type Embedded } from '../../dev/embedded';
import { connectMongo, connectTemporal } from '../../infra/connections';
import { startApi } from '../../api/server';
import { createWorker } from '../../worker/worker';
import { signDevToken, type Caller } from '../../api/auth';
import { startMailCapture, startSmsCapture, type CapturedMail, type SmsCapture } from '../../dev/capture';

/** Short durations so that tests of time never wait long. */
export const TEST_OVERRIDES = {
  tobakshjalpen: {
    durations: {
      moduleWork: 'P10D', maintenance: 'PT3S', inactivityFlag: 'PT6S',
      // Follow-ups in seconds after step 4 (no quit date); a quit date in the future keeps them far away.
      followUps: ['PT4S', 'PT8S', 'PT12S'], followUpReminder: 'PT3S', followUpEscalation: 'PT5S',
    },
    // Two individual modules whose work time runs out in seconds, for the deadline tests.
    modules: [{ id: 'surgery', workDuration: 'PT3S' }, { id: 'young', workDuration: 'PT3S' }],
  },
};

export interface Harness {
  config: Config;
  dataDir: string;
  baseUrl: string;
  client: Client;
  embedded: Embedded;
  /** What the real SMTP server and the local SMS gateway received. */
  mails: CapturedMail[];
  sms: SmsCapture;
  token(claims: { role: Caller['role']; sub: string; careUnits?: string[] }, expiresIn?: string): Promise<string>;
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

async function boot() {
  await quietTemporalRuntime();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tobakshjalpen-test-'));
  const overrides = path.join(dataDir, 'program-overrides.json');
  writeFileSync(overrides, JSON.stringify(TEST_OVERRIDES));
  const embedded = await startEmbedded({
    dataDir,
    temporalAddress: process.env.TEMPORAL_ADDRESS,
    // An external MongoDB gets a database of its own per run.
    mongoUri: process.env.MONGODB_URI ? process.env.MONGODB_URI.replace(/\/[^/?]*(\?|$)/, `/tobakshjalpen_test_${Date.now()}$1`) : undefined,
    log: (line) => console.log(line),
  });
  const mail = await startMailCapture(path.join(dataDir, 'mail'));
  const sms = await startSmsCapture(path.join(dataDir, 'sms'));
  const config = loadConfig({
    ...process.env,
    ...embedded.env,
    DATA_DIR: dataDir,
    PORT: '0',
    PROGRAM_OVERRIDES: overrides,
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    SMTP_URL: mail.url,
    SMS_GATEWAY_URL: sms.url,
    NOTIFICATION_MAX_ATTEMPTS: '3',
    RATE_LIMIT_PER_MINUTE: '100000',
    CARE_UNIT_REGIONS: JSON.stringify({ 'unit-stat-1': 'region-x', 'unit-stat-2': 'region-x', 'unit-stat-3': 'region-y' }),
  });
  await connectMongo(config);
  const { worker, close: closeWorker } = await createWorker(config);
  const running = worker.run();
  const api = await startApi(config);
  const { client, connection: clientConnection } = await connectTemporal(config);

  const harness: Harness = {
    config,
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
      const res = await fetch(`${api.url}${url}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
  const stop = async () => {
    await api.close();
    worker.shutdown();
    await running;
    await closeWorker();
    await clientConnection.close();
    await mongoose.disconnect();
    await embedded.stop();
    await mail.stop();
    await sms.stop();
  };
  return { harness, stop };
}
