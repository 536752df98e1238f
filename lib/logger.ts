import pino from 'pino';

export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: 'tobakshjalpen' },
  redact: {
    paths: [
      'personnummer', '*.personnummer', 'patient.name', 'patient.phone', 'patient.email',
      'req.headers.authorization', 'text', '*.text', 'answers', '*.answers',
    ],
    censor: '[redacted]',
  },
});
