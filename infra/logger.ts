import pino from 'pino';

export const logger = pino({
  // Set from the configuration (LOG_LEVEL) by system/ at start.
  level: 'info',
  base: { service: 'tobakshjalpen' },
  redact: {
    paths: [
      'personnummer', '*.personnummer', 'patient.name', 'patient.phone', 'patient.email',
      'req.headers.authorization', 'text', '*.text', 'answers', '*.answers',
    ],
    censor: '[redacted]',
  },
});

/** Removes what may identify a person from free text bound for logs: e-mail addresses, phone and identity numbers. */
export function scrub(text: string): string {
  return text
    .replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, '[e-mail]')
    .replace(/\+?\d[\d ()-]{5,}\d/g, '[number]');
}
