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
    /**
     * The embedded local cloud: a daemon (`gennaker localcloud`) whose instances are OS processes and whose
     * load balancers are HTTP proxies. `serve` starts it when it is not running and leaves it running.
     */
    localCloud: z
      .object({
        /** Whether `serve` uses the local cloud (and starts its daemon); `false`/`off` for a control plane without it. */
        enabled: z
          .union([z.boolean(), z.enum(['true', 'on']).transform(() => true), z.enum(['false', 'off']).transform(() => false)], {
            error: 'expected true or false (on or off)',
          })
          .default(true),
        accounts: z
          .array(
            z
              .object({
                name: z.string().regex(/^[a-zA-Z0-9._-]+$/, { error: 'expected letters, digits, ".", "_" and "-"' }),
                regions: z.array(z.string().regex(/^[a-zA-Z0-9._-]+$/)).min(1),
              })
              .strict(),
          )
          .min(1)
          .default([{ name: 'local', regions: ['us-east', 'eu-west'] }]),
        /** `builtin`: Gennaker's own proxy; `haproxy`: an HAProxy per balancer, weights via its runtime API. */
        loadBalancer: z.enum(['builtin', 'haproxy']).default('builtin'),
      })
      .strict()
      .prefault({}),
    inventory: z
      .object({
        /** How often every account and region is described afresh, to catch what no change event reported. */
        reconcileIntervalMs: z.coerce
          .number({ error: 'expected a number of milliseconds' })
          .int({ error: 'expected a whole number of milliseconds' })
          .min(100, { error: 'expected at least 100 milliseconds' })
          .default(30_000),
      })
      .strict()
      .prefault({}),
    audit: z
      .object({
        /** An HTTP endpoint that receives every audit event in order (POST, JSON), at least once; see docs/audit.md. */
        webhook: z
          .object({
            url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
            /** Sent with every delivery, e.g. Authorization; kept secret. */
            headers: z.record(z.string(), secretString).default({}),
            timeoutMs: z.coerce.number().int().min(100, { error: 'expected at least 100 milliseconds' }).default(10_000),
            /** The first retry waits minRetryMs; each further one twice as long, up to maxRetryMs. */
            minRetryMs: z.coerce.number().int().min(10, { error: 'expected at least 10 milliseconds' }).default(1_000),
            maxRetryMs: z.coerce.number().int().min(10, { error: 'expected at least 10 milliseconds' }).default(60_000),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    demo: z.boolean().default(false),
  })
  .strict();

export type Config = z.output<typeof configSchema>;
