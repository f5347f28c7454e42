import { z } from 'zod';
import { hostname } from 'node:os';
import { isPostgresUrl } from '../core/database-url.js';
import { isKnownTimezone } from '../core/time-rules/index.js';
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
    engine: z
      .object({
        /**
         * This process's name in a shared store. A restart under the same name takes over its unfinished
         * work at once; processes sharing one PostgreSQL need different names.
         */
        nodeId: z.string().min(1).default(hostname()),
        /** Finished executions older than this are deleted (the newest keepPerPipeline of each pipeline stay). */
        retentionDays: z.coerce.number({ error: 'expected a number of days' }).positive({ error: 'expected a positive number of days' }).default(30),
        keepPerPipeline: z.coerce.number().int().min(0).default(5),
        /** Time zone of execution windows that name none (Spinnaker: server-wide America/Los_Angeles). */
        defaultTimezone: z
          .string()
          .refine(isKnownTimezone, { message: 'expected an IANA time zone name such as UTC or Europe/Berlin' })
          .default('UTC'),
      })
      .strict()
      .prefault({}),
    demo: z.boolean().default(false),
  })
  .strict();

export type Config = z.output<typeof configSchema>;
