import { z } from 'zod';
import { defaulted, flag, optional, text, trimmedText } from '../stage-fields.js';
import { capacityField } from './capacity-fields.js';
import { accountOf, instancesUpTimeoutField, regionsOf, requireServerGroupTarget, serverGroupTargetFields } from './cloud-fields.js';
import { defineStageType } from './stage-type.js';

const source = z.looseObject(
  {
    account: trimmedText('expected the source account name'),
    region: trimmedText('expected the source region'),
    serverGroupName: optional(trimmedText('expected the source server group name')),
    asgName: optional(trimmedText('expected the source server group name')),
  },
  { error: 'expected a source {"account": …, "region": …, "serverGroupName": …}' },
);

/** What may differ from the source's launch: the artifact's parts, the command, environment variables (merged). */
const launchOverrides = z.looseObject(
  {
    artifact: optional(
      z.looseObject(
        { name: optional(trimmedText('expected an artifact name')), version: optional(trimmedText('expected a version')), location: optional(trimmedText('expected a location')) },
        { error: 'expected an artifact {"name": …, "version": …, "location": …}' },
      ),
    ),
    command: optional(z.array(trimmedText('expected a program or argument'), { error: 'expected a command as a list [program, ...arguments]' }).min(1, { error: 'expected at least the program' })),
    env: optional(z.record(z.string(), text('expected text'), { error: 'expected a map of variable names to values' })),
  },
  { error: 'expected launch overrides {"artifact": …, "command": …, "env": …}' },
);

/**
 * `cloneServerGroup`: a new group in the source's cluster copied from `source` (or the cluster's `target`
 * in `credentials`/`region`), with `capacity` and `launch` overrides; waits for its instances to be Up.
 */
export const cloneServerGroupStageSchema = z
  .looseObject({
    ...serverGroupTargetFields,
    source: optional(source),
    capacity: optional(capacityField),
    launch: optional(launchOverrides),
    /** Spinnaker's clones take traffic at once; false leaves the copy disabled. */
    enabled: defaulted(flag, true),
    instancesUpTimeoutSec: instancesUpTimeoutField,
  })
  .superRefine((value, context) => {
    if (value.source !== undefined) {
      if (value.source.serverGroupName === undefined && value.source.asgName === undefined) {
        context.addIssue({ code: 'custom', path: ['source', 'serverGroupName'], message: 'expected the source server group name', input: undefined });
      }
      return;
    }
    requireServerGroupTarget(value, context);
    if (regionsOf(value).length > 1) {
      context.addIssue({ code: 'custom', path: ['regions'], message: 'expected one region (a clone copies one server group)', input: value.regions });
    }
  });

export type CloneServerGroupInput = z.output<typeof cloneServerGroupStageSchema>;

/** Where the source is: the explicit `source`, or the stage's own account and region. */
export function cloneSourceOf(input: CloneServerGroupInput): { account: string; region: string; serverGroupName?: string } {
  if (input.source) {
    const name = input.source.serverGroupName ?? input.source.asgName;
    return { account: input.source.account, region: input.source.region, ...(name === undefined ? {} : { serverGroupName: name }) };
  }
  const name = input.serverGroupName ?? input.asgName;
  return { account: accountOf(input), region: regionsOf(input)[0] ?? '', ...(name === undefined ? {} : { serverGroupName: name }) };
}

export const cloneServerGroupStageType = defineStageType(cloneServerGroupStageSchema);
