import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear, as a second line of defence behind `Secret`: request
 * headers and anything a caller names password or token.
 */
const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'token',
  '*.token',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      name: 'gennaker',
      level,
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    destination,
  );
}
