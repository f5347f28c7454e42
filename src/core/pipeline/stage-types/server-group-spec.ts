import { z } from 'zod';
import { healthCheckSchema } from '../../cloud/model.js';
import { defaulted, flag, optional, seconds, trimmedText, wholeNumber } from '../stage-fields.js';

/**
 * The fields of one server group to deploy, shared by `createServerGroup` and each entry of `deploy`'s
 * `clusters[]`: Spinnaker's names (application, stack, freeFormDetails, account or credentials, region or
 * availabilityZones, capacity, loadBalancers, strategy and its knobs, rollback), plus the local cloud's launch
 * spec (artifact, command, env, healthCheck) where AWS would have `amiName` and an instance type.
 */

const count = (expected: string) => wholeNumber(0, expected);

const capacity = z
  .looseObject(
    {
      min: count('expected a whole number of instances, 0 or more'),
      max: count('expected a whole number of instances, 0 or more'),
      desired: count('expected a whole number of instances, 0 or more'),
    },
    { error: 'expected {"min", "max", "desired"}' },
  )
  .refine((value) => value.min <= value.desired && value.desired <= value.max, { error: 'expected min ≤ desired ≤ max' });

const artifact = z.looseObject(
  {
    name: trimmedText('expected the artifact name'),
    version: trimmedText('expected the artifact version'),
    location: trimmedText('expected where the artifact is (a directory or .tar.gz for the local cloud)'),
  },
  { error: 'expected {"name", "version", "location"}' },
);

/** `"5s"`, `"2m"`, `"1h"` or a number of seconds. */
const duration = z.union([
  z.number({ error: 'expected a duration' }).min(0),
  z
    .string({ error: 'expected a duration such as 30s, 5m or 1h' })
    .regex(/^\s*\d+(\.\d+)?\s*[smh]?\s*$/, { error: 'expected a duration such as 30s, 5m or 1h' })
    .transform((value) => {
      const trimmed = value.trim();
      const unit = trimmed.at(-1) ?? 's';
      const factor = unit === 'm' ? 60 : unit === 'h' ? 3600 : 1;
      return Number(/[smh]$/.test(trimmed) ? trimmed.slice(0, -1) : trimmed) * factor;
    }),
], { error: 'expected a duration such as 30s, 5m or 1h' });

const percent = wholeNumber(0, 'expected a percentage from 0 to 100').pipe(z.number().max(100, { error: 'expected a percentage from 0 to 100' }));

const canaryStep = z
  .looseObject(
    {
      setWeight: optional(percent),
      pause: optional(z.looseObject({ duration: optional(duration) }, { error: 'expected {} or {"duration": "5s"}' })),
    },
    { error: 'expected {"setWeight": percent} or {"pause": {"duration": …}}' },
  )
  .refine((step) => (step.setWeight === undefined) !== (step.pause === undefined), { error: 'expected either setWeight or pause in each step' });

const validationPipeline = z.looseObject({
  application: trimmedText('expected the application of the validation pipeline'),
  pipelineId: trimmedText('expected the id of the validation pipeline'),
  pipelineParameters: defaulted(z.record(z.string(), z.unknown()), {}),
});

export const deployStrategies = ['', 'none', 'highlander', 'redblack', 'rollingredblack', 'canary'] as const;

export const serverGroupSpecFields = {
  application: trimmedText('expected the application name'),
  stack: optional(z.string({ error: 'expected text' })),
  freeFormDetails: optional(z.string({ error: 'expected text' })),
  cloudProvider: defaulted(trimmedText('expected a cloud provider name'), 'local'),
  account: optional(trimmedText('expected an account name')),
  credentials: optional(trimmedText('expected an account name')),
  region: optional(trimmedText('expected a region name')),
  availabilityZones: optional(z.record(z.string(), z.array(z.string()), { error: 'expected {"region": [zones…]}' })),
  capacity,
  loadBalancers: defaulted(z.array(trimmedText('expected a load balancer name'), { error: 'expected a list of load balancer names' }), []),
  artifact,
  command: z.array(trimmedText('expected a command argument'), { error: 'expected the command as a list of arguments' }).min(1, { error: 'expected at least the program to run' }),
  env: defaulted(z.record(z.string(), z.string(), { error: 'expected a map of names to text values' }), {}),
  healthCheck: defaulted(healthCheckSchema, healthCheckSchema.parse({})),
  strategy: defaulted(z.enum(deployStrategies, { error: `expected one of ${deployStrategies.filter(Boolean).join(', ')} or ""` }), ''),
  maxRemainingAsgs: defaulted(count('expected a whole number of server groups'), 2),
  delayBeforeDisableSec: defaulted(seconds(), 0),
  delayBeforeCleanup: defaulted(seconds(), 0),
  scaleDown: defaulted(flag, false),
  delayBeforeScaleDownSec: defaulted(seconds(), 0),
  targetPercentages: defaulted(
    z.array(wholeNumber(1, 'expected a percentage from 1 to 100').pipe(z.number().max(100, { error: 'expected a percentage from 1 to 100' })), {
      error: 'expected a list of percentages',
    }),
    [50, 100],
  ),
  pipelineBeforeCleanup: optional(validationPipeline),
  steps: defaulted(z.array(canaryStep, { error: 'expected a list of canary steps' }), []),
  rollback: defaulted(
    z.looseObject({ onFailure: defaulted(flag, false), destroyLatest: defaulted(flag, false) }, { error: 'expected {"onFailure", "destroyLatest"}' }),
    { onFailure: false, destroyLatest: false },
  ),
  /** Not Spinnaker's: how long to wait for the new group's instances to be Up before the deploy fails (its 2 h is too long for a laptop). */
  waitForUpTimeoutSec: defaulted(seconds(), 300),
};

export const serverGroupSpecSchema = z.looseObject(serverGroupSpecFields);
export type ServerGroupSpec = z.output<typeof serverGroupSpecSchema>;
