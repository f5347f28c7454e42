import { z } from 'zod';
import { capacitySchema, launchSpecSchema, loadBalancerSchema, resourceName, serverGroupSchema } from './model.js';

/**
 * The mutating operations every provider implements, as a tagged union on `type`. Each is idempotent
 * under its client token: applying the same token twice has the effect of once and answers the same
 * result — the engine retries after crashes with the token it stored before the first attempt.
 */
const where = { account: z.string().min(1), region: z.string().min(1) };

export const cloudOperationSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('createServerGroup'),
      ...where,
      application: z.string().min(1),
      stack: z.string().optional(),
      detail: z.string().optional(),
      capacity: capacitySchema,
      launch: launchSpecSchema,
      loadBalancers: z.array(z.string().min(1)).default([]),
      /** Spinnaker's deploys create enabled groups; red/black disables the old ones afterwards. */
      enabled: z.boolean().default(true),
    })
    .strict(),
  z
    .object({
      type: z.literal('cloneServerGroup'),
      ...where,
      source: resourceName,
      capacity: capacitySchema.optional(),
      launch: launchSpecSchema.optional(),
      enabled: z.boolean().default(true),
    })
    .strict(),
  z.object({ type: z.literal('resizeServerGroup'), ...where, serverGroup: resourceName, capacity: capacitySchema }).strict(),
  z.object({ type: z.literal('enableServerGroup'), ...where, serverGroup: resourceName }).strict(),
  z.object({ type: z.literal('disableServerGroup'), ...where, serverGroup: resourceName }).strict(),
  z.object({ type: z.literal('destroyServerGroup'), ...where, serverGroup: resourceName }).strict(),
  z
    .object({
      type: z.literal('terminateInstances'),
      ...where,
      instanceIds: z.array(z.string().min(1)).min(1),
      /** true: shrink desired capacity too (the instances are not replaced). */
      decrementDesired: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      type: z.literal('upsertLoadBalancer'),
      ...where,
      name: resourceName,
      /** Port to listen on; 0 or absent lets the provider choose. Ignored when the balancer exists. */
      port: z.number().int().min(0).max(65535).optional(),
    })
    .strict(),
  z.object({ type: z.literal('deleteLoadBalancer'), ...where, name: resourceName }).strict(),
  z
    .object({
      type: z.literal('setTrafficWeights'),
      ...where,
      loadBalancer: resourceName,
      /** Relative weights by server-group name; `null` returns to equal shares per instance. */
      weights: z.record(z.string(), z.number().int().min(0)).nullable(),
    })
    .strict(),
]);
export type CloudOperation = z.infer<typeof cloudOperationSchema>;
export type CloudOperationInput = z.input<typeof cloudOperationSchema>;
export type CloudOperationType = CloudOperation['type'];

/** What an operation reports: running (cloud-side work continues), or finished with the resources it touched. */
export const operationStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('running'), clientToken: z.string() }).strict(),
  z
    .object({
      state: z.literal('succeeded'),
      clientToken: z.string(),
      /** Resources as they are right after the operation (write-through for the inventory). */
      serverGroup: serverGroupSchema.optional(),
      loadBalancer: loadBalancerSchema.optional(),
      removed: z.object({ kind: z.enum(['serverGroup', 'loadBalancer']), name: z.string() }).strict().optional(),
    })
    .strict(),
  z
    .object({
      state: z.literal('failed'),
      clientToken: z.string(),
      /** A registered error code (GNK_E_…) and message. */
      code: z.string(),
      message: z.string(),
    })
    .strict(),
]);
export type OperationStatus = z.infer<typeof operationStatusSchema>;
