import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { capacitySchema, launchSpecSchema, operationStatusSchema } from '../core/cloud/index.js';
import { GennakerError } from '../core/errors.js';
import { writeFileAtomically } from './atomic-write.js';

/**
 * The daemon's desired state, enough for a restarted daemon to rebuild: load balancers on their ports,
 * server groups at their capacity, operation results for idempotency, and the pids of instances it
 * launched (a restart kills those and launches fresh ones rather than adopting processes it cannot watch).
 */
export const serverGroupRecordSchema = z
  .object({
    account: z.string(),
    region: z.string(),
    name: z.string(),
    cluster: z.string(),
    application: z.string(),
    capacity: capacitySchema,
    enabled: z.boolean(),
    launch: launchSpecSchema,
    /** The directory the artifact was resolved to (a tarball's extraction directory). */
    artifactDir: z.string(),
    loadBalancers: z.array(z.string()),
    createdAt: z.number().int(),
  })
  .strict();
export type ServerGroupRecord = z.infer<typeof serverGroupRecordSchema>;

export const loadBalancerRecordSchema = z
  .object({
    account: z.string(),
    region: z.string(),
    name: z.string(),
    port: z.number().int(),
    weights: z.record(z.string(), z.number().int().min(0)).optional(),
    latencyMs: z.number().int().min(0).default(0),
  })
  .strict();
export type LoadBalancerRecord = z.infer<typeof loadBalancerRecordSchema>;

export const persistedStateSchema = z
  .object({
    format: z.literal(1),
    /** Instance numbers are never reused, across restarts too. */
    nextInstanceNumber: z.number().int().min(1),
    serverGroups: z.array(serverGroupRecordSchema),
    loadBalancers: z.array(loadBalancerRecordSchema),
    /** Finished operations by client token, oldest first (bounded). */
    operations: z.array(z.object({ account: z.string(), status: operationStatusSchema }).strict()),
    instancePids: z.record(z.string(), z.number().int()),
  })
  .strict();
export type PersistedState = z.infer<typeof persistedStateSchema>;

export const emptyState: PersistedState = {
  format: 1,
  nextInstanceNumber: 1,
  serverGroups: [],
  loadBalancers: [],
  operations: [],
  instancePids: {},
};

export function loadState(path: string): PersistedState {
  if (!existsSync(path)) return emptyState;
  const parsed = persistedStateSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new GennakerError('GNK_E_CONFIG_FILE_UNREADABLE', `${path}: not a local-cloud state file: ${parsed.error.message}`, [
      { source: path, expected: 'a state file written by this version of the local cloud' },
    ]);
  }
  return parsed.data;
}

export function saveState(path: string, state: PersistedState): void {
  writeFileAtomically(path, `${JSON.stringify(state, null, 2)}\n`);
}
