// Local capture endpoints for mail and SMS: development and tests only. They receive what the
// engine sends so nothing leaves the machine, keep it in memory and write it under a directory.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail { to: string[]; raw: string; messageId: string | null }
export interface CapturedSms { key: string | null; to: string; message: string }

export interface MailCapture { url: string; mails: CapturedMail[]; stop(): Promise<void> }

export async function startMailCapture(dir: string): Promise<MailCapture> {
  mkdirSync(dir, { recursive: true });
  const mails: CapturedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Like a real server, refuse mailboxes that cannot exist (the reserved .invalid domain).
    onRcptTo(address, _session, callback) {
      if (/\.invalid$/i.test(address.address)) return callback(Object.assign(new Error('550 no such mailbox'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const messageId = /^Message-ID:\s*(.+)$/im.exec(raw)?.[1]?.trim() ?? null;
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, messageId });
        writeFileSync(path.join(dir, `${Date.now()}-${mails.length}.eml`), raw);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, stop: () => new Promise((r) => server.close(() => r())) };
}

export interface SmsCapture {
  url: string;
  messages: CapturedSms[];
  /** Test hook: accept the next n messages but drop the connection instead of answering. */
  dropAnswers(n: number): void;
  stop(): Promise<void>;
}

/** An SMS gateway that, like real ones, keeps one message per Idempotency-Key. */
export async function startSmsCapture(dir: string): Promise<SmsCapture> {
  mkdirSync(dir, { recursive: true });
  const messages: CapturedSms[] = [];
  const seen = new Set<string>();
  let drop = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: { to?: unknown; message?: unknown };
      try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { res.writeHead(400).end(); return; }
      if (typeof body.to !== 'string' || typeof body.message !== 'string') { res.writeHead(400).end(); return; }
      const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
      if (!key || !seen.has(key)) {
        if (key) seen.add(key);
        const sms = { key, to: body.to, message: body.message };
        messages.push(sms);
        appendFileSync(path.join(dir, 'sms.jsonl'), `${JSON.stringify(sms)}\n`);
      }
      if (drop > 0) { drop -= 1; req.socket.destroy(); return; }
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"accepted"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    messages,
    dropAnswers: (n) => { drop = n; },
    stop: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
