import { z } from 'zod';
import { accountSchema } from './model.js';
import { cloudOperationSchema } from './operations.js';

/**
 * The HTTP API of the local-cloud daemon, shared by the daemon (src/localcloud) and the local provider
 * (src/providers/local), which may not import each other. Bodies are JSON unless noted.
 *
 * - `GET  /v1/info` → `LocalCloudInfo`
 * - `POST /v1/operations` `OperationRequest` → `OperationStatus` (same token again: the stored status)
 * - `GET  /v1/operations/:clientToken` → `OperationStatus`, 404 when unknown
 * - `GET  /v1/accounts/:account/regions/:region` → `RegionSnapshot`
 * - `GET  /v1/changes?since=SEQ` → `text/event-stream`: each event's `id` is the change's `seq` and its
 *   `data` a `CloudChange`; an event named `gap` first when changes after SEQ are no longer retained.
 *   `Last-Event-ID` works as `since`.
 * - `POST /v1/chaos/terminate` `ChaosTerminate` → `{ instanceId }` (the process is killed with SIGKILL)
 * - `POST /v1/chaos/latency` `ChaosLatency` → 204 (added to every request the balancer proxies)
 * - `GET  /metrics` → Prometheus text: per load balancer and server group, request counts by status class
 *   and a latency histogram.
 *
 * Errors: `{ error: { code, message, details } }` with a registered GNK_E_… code.
 */
export const localCloudPaths = {
  info: '/v1/info',
  operations: '/v1/operations',
  operation: (clientToken: string) => `/v1/operations/${encodeURIComponent(clientToken)}`,
  region: (account: string, region: string) =>
    `/v1/accounts/${encodeURIComponent(account)}/regions/${encodeURIComponent(region)}`,
  changes: '/v1/changes',
  chaosTerminate: '/v1/chaos/terminate',
  chaosLatency: '/v1/chaos/latency',
  metrics: '/metrics',
} as const;

export const localCloudInfoSchema = z
  .object({
    version: z.string(),
    pid: z.number().int(),
    startedAt: z.number().int(),
    accounts: z.array(accountSchema),
    loadBalancer: z.enum(['builtin', 'haproxy']),
  })
  .strict();
export type LocalCloudInfo = z.infer<typeof localCloudInfoSchema>;

export const operationRequestSchema = z
  .object({
    clientToken: z.string().min(1).max(200),
    operation: cloudOperationSchema,
  })
  .strict();
export type OperationRequest = z.infer<typeof operationRequestSchema>;

export const chaosTerminateSchema = z
  .object({
    account: z.string().min(1),
    region: z.string().min(1),
    /** A named instance, or a random one of this server group, or of the whole region when neither is given. */
    instanceId: z.string().optional(),
    serverGroup: z.string().optional(),
  })
  .strict();

export const chaosLatencySchema = z
  .object({
    account: z.string().min(1),
    region: z.string().min(1),
    loadBalancer: z.string().min(1),
    ms: z.number().int().min(0).max(60_000),
  })
  .strict();

/**
 * Where a running daemon announces itself: `<dataDir>/localcloud/daemon.json`. The control plane reads it
 * to find (and re-adopt) a daemon that outlived it.
 */
export const daemonAnnouncementSchema = z
  .object({
    pid: z.number().int(),
    url: z.string().url(),
    startedAt: z.number().int(),
  })
  .strict();
export type DaemonAnnouncement = z.infer<typeof daemonAnnouncementSchema>;
