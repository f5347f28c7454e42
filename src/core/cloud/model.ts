import { z } from 'zod';

/**
 * The cloud model every provider speaks (Clouddriver's hierarchy): account → region → server groups with
 * instances, and load balancers. Schemas, because descriptions cross process boundaries (the local-cloud
 * daemon, the store) and are parsed there; types are inferred from them.
 */

export const resourceName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-zA-Z0-9._-]+$/, { error: 'expected letters, digits, ".", "_" and "-" only' });

export const capacitySchema = z
  .object({
    min: z.number().int().min(0),
    max: z.number().int().min(0),
    desired: z.number().int().min(0),
  })
  .strict()
  .refine((c) => c.min <= c.desired && c.desired <= c.max, {
    error: 'expected min ≤ desired ≤ max',
  });
export type Capacity = z.infer<typeof capacitySchema>;

export const healthCheckSchema = z
  .object({
    /** HTTP path probed on each instance; any 2xx within `timeoutMs` counts as healthy. */
    path: z.string().startsWith('/').default('/health'),
    intervalMs: z.number().int().min(50).default(1000),
    timeoutMs: z.number().int().min(10).default(1000),
    /** Consecutive passes before an instance is Up, consecutive failures before it is Down. */
    healthyThreshold: z.number().int().min(1).default(1),
    unhealthyThreshold: z.number().int().min(1).default(2),
  })
  .strict();
export type HealthCheck = z.infer<typeof healthCheckSchema>;

/** What an instance runs: a versioned artifact and how to start it. */
export const launchSpecSchema = z
  .object({
    artifact: z
      .object({
        name: z.string().min(1),
        version: z.string().min(1),
        /** Provider-specific: a directory or tarball for the local cloud, an image for Kubernetes/AWS. */
        location: z.string().min(1),
      })
      .strict(),
    /** argv; the local cloud runs it with the artifact directory as working directory and PORT in the env. */
    command: z.array(z.string().min(1)).min(1),
    env: z.record(z.string(), z.string()).default({}),
    healthCheck: healthCheckSchema.prefault({}),
  })
  .strict();
export type LaunchSpec = z.infer<typeof launchSpecSchema>;

/**
 * Spinnaker's merged health states: Starting until the first health check passes, Up while passing, Down
 * while failing (or the process is gone), OutOfService while its server group is disabled.
 */
export const instanceHealthStates = ['Starting', 'Up', 'Down', 'OutOfService'] as const;
export type InstanceHealth = (typeof instanceHealthStates)[number];

export const instanceSchema = z
  .object({
    id: z.string().min(1),
    serverGroup: z.string().min(1),
    health: z.enum(instanceHealthStates),
    /** host:port the instance listens on. */
    address: z.string().min(1),
    launchedAt: z.number().int(),
    /** Why the instance is Down, when it is. */
    reason: z.string().optional(),
  })
  .strict();
export type Instance = z.infer<typeof instanceSchema>;

export const serverGroupSchema = z
  .object({
    account: z.string().min(1),
    region: z.string().min(1),
    name: resourceName,
    cluster: z.string().min(1),
    application: z.string().min(1),
    capacity: capacitySchema,
    enabled: z.boolean(),
    launch: launchSpecSchema,
    loadBalancers: z.array(z.string().min(1)),
    instances: z.array(instanceSchema),
    createdAt: z.number().int(),
  })
  .strict();
export type ServerGroup = z.infer<typeof serverGroupSchema>;

export const loadBalancerSchema = z
  .object({
    account: z.string().min(1),
    region: z.string().min(1),
    name: resourceName,
    /** host:port clients send traffic to. */
    address: z.string().min(1),
    /**
     * Share of traffic per attached server group, by name. Absent: every Up instance of every enabled
     * attached server group gets an equal share (what an AWS target group does). Present: groups not
     * listed get none.
     */
    weights: z.record(z.string(), z.number().int().min(0)).optional(),
  })
  .strict();
export type LoadBalancer = z.infer<typeof loadBalancerSchema>;

export const accountSchema = z
  .object({
    name: z.string().min(1),
    provider: z.string().min(1),
    regions: z.array(z.string().min(1)).min(1),
  })
  .strict();
export type Account = z.infer<typeof accountSchema>;

/** Everything one provider knows about one region of one account. */
export const regionSnapshotSchema = z
  .object({
    account: z.string().min(1),
    region: z.string().min(1),
    serverGroups: z.array(serverGroupSchema),
    loadBalancers: z.array(loadBalancerSchema),
  })
  .strict();
export type RegionSnapshot = z.infer<typeof regionSnapshotSchema>;
