// Development services: the embedded Temporal dev server (with its UI) and FerretDB when the
// configuration names no server, and local capture of e-mail and SMS when it names no transport.
// Only development entry points (npm start, the tests, the benchmark) pass this to startSystem.
import path from 'node:path';
import type { Config } from '../infra/config';
import type { ServiceProvider, Services } from '../system';
import { startEmbedded } from './embedded';
import { startDevOidc } from './oidc';
import { startMailCapture, startSmsCapture, type MailCapture, type SmsCapture } from './capture';

export interface DevServices extends Services {
  mail: MailCapture | null;
  sms: SmsCapture | null;
}

export function developmentServices(opts: { log?: (line: string) => void; captureDir?: (config: Config) => string } = {}): ServiceProvider {
  return async (config): Promise<DevServices> => {
    const stops: Array<() => Promise<void>> = [];
    const stop = async () => { for (const s of stops.reverse()) await s(); };
    try {
      const embedded = await startEmbedded({
        dataDir: config.dataDir,
        temporalAddress: config.temporal.address,
        mongoUri: config.mongo.uri,
        temporalPort: config.temporal.port || undefined,
        uiPort: config.temporal.uiPort || undefined,
        mongoPort: config.mongo.port || undefined,
        // The embedded UI decodes payloads through the API's codec server, as operations do in
        // production (security #2); known only when the API's port is fixed (npm start).
        codecEndpoint: config.port ? `http://127.0.0.1:${config.port}/codec` : undefined,
        servers: config.servers,
        log: opts.log,
      });
      stops.push(embedded.stop);
      const captureDir = opts.captureDir?.(config) ?? path.join(config.dataDir, 'dev-outbox');
      let mail: MailCapture | null = null;
      let sms: SmsCapture | null = null;
      if (!config.notifications.smtpUrl) {
        mail = await startMailCapture(path.join(captureDir, 'mail'));
        stops.push(mail.stop);
      }
      if (!config.notifications.smsGatewayUrl) {
        sms = await startSmsCapture(path.join(captureDir, 'sms'));
        stops.push(sms.stop);
      }
      // The web app's sign-in for test identities (an OpenID Connect provider on its own port).
      // Only where the API takes development tokens (not beside a production issuer, not in a worker alone).
      const oidc = config.auth?.mode === 'development'
        ? await startDevOidc({ port: config.devOidcPort, audience: config.auth.audience, clientId: config.web.oidcClientId })
        : null;
      if (oidc) stops.push(oidc.stop);
      return {
        ...(oidc ? { oidc: { issuer: oidc.issuer, jwksUrl: oidc.jwksUrl } } : {}),
        temporalAddress: embedded.temporalAddress, mongoUri: embedded.mongoUri, temporalUiUrl: embedded.temporalUiUrl,
        smtpUrl: mail?.url, smsGatewayUrl: sms?.url, mail, sms, stop,
      };
    } catch (err) {
      await stop();
      throw err;
    }
  };
}
