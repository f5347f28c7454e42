import { z } from 'zod';
import { normaliseTarget, type DynamicTarget } from '../../deploy/targets.js';
import { defaulted, optional, seconds, trimmedText } from '../stage-fields.js';

/**
 * Fields every server-group and cluster stage shares, with Spinnaker's names: `cloudProvider`,
 * `credentials` (the account; `account` is accepted too), `regions` (or one `region`), `cluster` (or a
 * `moniker`), and for single-group stages `target` or `serverGroupName` (`asgName` in older exports).
 */

const regionList = z
  .array(trimmedText('expected a region name'), { error: 'expected a list of region names' })
  .min(1, { error: 'expected at least one region' });

const monikerFields = z.looseObject(
  {
    app: optional(trimmedText('expected an application name')),
    stack: optional(z.string({ error: 'expected a stack name' })),
    detail: optional(z.string({ error: 'expected a detail' })),
    cluster: optional(trimmedText('expected a cluster name')),
  },
  { error: 'expected a moniker {"app": …, "stack": …, "detail": …, "cluster": …}' },
);

export const cloudLocationFields = {
  cloudProvider: defaulted(trimmedText('expected a cloud provider name, e.g. "local"'), 'local'),
  credentials: optional(trimmedText('expected an account name')),
  account: optional(trimmedText('expected an account name')),
  regions: optional(regionList),
  region: optional(trimmedText('expected a region name')),
  cluster: optional(trimmedText('expected a cluster name, e.g. "hello-prod"')),
  moniker: optional(monikerFields),
};

const targetField = z
  .string({ error: 'expected current_asg_dynamic, ancestor_asg_dynamic or oldest_asg_dynamic' })
  .transform((value, context): DynamicTarget => {
    const target = normaliseTarget(value.trim());
    if (target) return target;
    context.addIssue({ code: 'custom', message: 'expected current_asg_dynamic, ancestor_asg_dynamic or oldest_asg_dynamic', input: value });
    return z.NEVER;
  });

export const serverGroupTargetFields = {
  ...cloudLocationFields,
  target: optional(targetField),
  serverGroupName: optional(trimmedText('expected a server group name, e.g. "hello-v003"')),
  asgName: optional(trimmedText('expected a server group name, e.g. "hello-v003"')),
};

/** How long a stage waits for instances to be Up before it fails (Gennaker's; Spinnaker waits per task). */
export const instancesUpTimeoutField = defaulted(seconds('expected a number of seconds, 0 or more'), 300);

/**
 * Seconds to wait after disabling, so clients holding connections to the old group finish (Spinnaker waits
 * about 90 s for cloud load balancers to deregister). Absent: 0 on the local cloud, whose balancer takes a
 * group out of rotation before the operation answers and lets in-flight requests finish; 90 elsewhere.
 */
export const waitAfterDisableField = optional(seconds());

export function waitAfterDisableSeconds(input: { readonly cloudProvider: string; readonly waitAfterDisableSec?: number | undefined }): number {
  return input.waitAfterDisableSec ?? (input.cloudProvider === 'local' ? 0 : 90);
}

type LocationInput = {
  readonly credentials?: string | undefined;
  readonly account?: string | undefined;
  readonly regions?: readonly string[] | undefined;
  readonly region?: string | undefined;
  readonly cluster?: string | undefined;
  readonly moniker?: { readonly cluster?: string | undefined } | undefined;
};

type Issues = { addIssue(issue: { code: 'custom'; path: PropertyKey[]; message: string; input: unknown }): void };

/** Account and regions are required, under either of their names. */
export function requireLocation(value: LocationInput, context: Issues): void {
  if (value.credentials === undefined && value.account === undefined) {
    context.addIssue({ code: 'custom', path: ['credentials'], message: 'expected the account name (credentials)', input: undefined });
  }
  if (value.regions === undefined && value.region === undefined) {
    context.addIssue({ code: 'custom', path: ['regions'], message: 'expected a list of region names (regions)', input: undefined });
  }
}

export function requireCluster(value: LocationInput, context: Issues): void {
  if (clusterOf(value) === undefined) {
    context.addIssue({ code: 'custom', path: ['cluster'], message: 'expected a cluster name, e.g. "hello-prod" (cluster or moniker.cluster)', input: undefined });
  }
}

/** A single-group stage names its group, or a dynamic target in a cluster. */
export function requireServerGroupTarget(
  value: LocationInput & { readonly target?: string | undefined; readonly serverGroupName?: string | undefined; readonly asgName?: string | undefined },
  context: Issues,
): void {
  requireLocation(value, context);
  if (value.serverGroupName !== undefined || value.asgName !== undefined) return;
  if (value.target === undefined) {
    context.addIssue({ code: 'custom', path: ['target'], message: 'expected a target (current_asg_dynamic, ancestor_asg_dynamic, oldest_asg_dynamic) or a serverGroupName', input: undefined });
    return;
  }
  requireCluster(value, context);
}

export function accountOf(value: LocationInput): string {
  return value.credentials ?? value.account ?? '';
}

export function regionsOf(value: LocationInput): readonly string[] {
  return value.regions ?? (value.region === undefined ? [] : [value.region]);
}

export function clusterOf(value: LocationInput): string | undefined {
  return value.cluster ?? value.moniker?.cluster;
}
