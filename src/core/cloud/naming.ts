import { clusterName, nextSequence, parseMoniker, serverGroupName } from './moniker.js';

export interface ExistingServerGroup {
  readonly name: string;
  readonly createdAt: number;
}

/**
 * The name of a cluster's next server group: the sequence after the one created last, skipping numbers
 * still taken. `undefined` when all 1,000 are taken.
 */
export function nextServerGroupName(
  app: string,
  stack: string | undefined,
  detail: string | undefined,
  existing: readonly ExistingServerGroup[],
): string | undefined {
  const cluster = clusterName(app, stack, detail);
  const pushes = existing
    .map((group) => ({ moniker: parseMoniker(group.name), createdAt: group.createdAt }))
    .filter((group) => group.moniker?.cluster === cluster && group.moniker.sequence !== undefined);
  const latest = pushes.reduce<(typeof pushes)[number] | undefined>(
    (newest, group) => (newest === undefined || group.createdAt >= newest.createdAt ? group : newest),
    undefined,
  );
  const taken = new Set(pushes.map((group) => group.moniker!.sequence!));
  const sequence = nextSequence(latest?.moniker?.sequence, taken);
  return sequence === undefined ? undefined : serverGroupName(cluster, sequence);
}
