import { z } from 'zod';
import { isPostgresUrl } from '../core/database-url.js';
import { Secret } from '../core/secret.js';

const secretString = z
  .string()
  .min(1)
  .transform((value) => new Secret(value));

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The whole configuration, parsed once at start. Unknown keys are errors (a typo must not be ignored);
 * secrets become `Secret` values so no logger or response can print them by accident.
 */
export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.coerce
          .number({ error: 'expected a port number from 0 to 65535' })
          .int({ error: 'expected a port number from 0 to 65535' })
          .min(0, { error: 'expected a port number from 0 to 65535' })
          .max(65535, { error: 'expected a port number from 0 to 65535' })
          .default(8084),
      })
      .strict()
      .prefault({}),
    /** Where the embedded store and local state live. Relative paths are resolved against the working directory. */
    dataDir: z.string().min(1).default('data'),
    db: z
      .object({
        /** postgres://… to use PostgreSQL; absent means the embedded SQLite file in dataDir. */
        url: secretString
          .refine((url) => isPostgresUrl(url.reveal()), {
            message: 'expected a postgres:// or postgresql:// URL',
          })
          .optional(),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(logLevels).default('info'),
      })
      .strict()
      .prefault({}),
    demo: z.boolean().default(false),
  })
  .strict();

export type Config = z.output<typeof configSchema>;
