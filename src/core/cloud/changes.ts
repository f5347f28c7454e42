import { z } from 'zod';
import { loadBalancerSchema, serverGroupSchema } from './model.js';
import { operationStatusSchema } from './operations.js';

/**
 * One change a provider reports on its change stream. Server groups travel whole (with their instances),
 * so a consumer never has to merge partial updates; `seq` increases per provider so a consumer can resume.
 */
export const cloudChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('serverGroupUpserted'), seq: z.number().int(), serverGroup: serverGroupSchema }).strict(),
  z
    .object({
      kind: z.literal('serverGroupRemoved'),
      seq: z.number().int(),
      account: z.string(),
      region: z.string(),
      name: z.string(),
    })
    .strict(),
  z.object({ kind: z.literal('loadBalancerUpserted'), seq: z.number().int(), loadBalancer: loadBalancerSchema }).strict(),
  z
    .object({
      kind: z.literal('loadBalancerRemoved'),
      seq: z.number().int(),
      account: z.string(),
      region: z.string(),
      name: z.string(),
    })
    .strict(),
  z.object({ kind: z.literal('operationFinished'), seq: z.number().int(), status: operationStatusSchema }).strict(),
]);
export type CloudChange = z.infer<typeof cloudChangeSchema>;
