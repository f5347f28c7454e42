import type { LoadBalancerRecord } from './state-file.js';
import type { Instance } from './instance.js';

/** The instances one attached server group offers a balancer, and the group's share. */
export interface TargetGroup {
  readonly serverGroup: string;
  readonly weight: number;
  readonly instances: readonly Instance[];
}

/**
 * A load balancer's traffic-handling half, whichever program does the proxying. The cloud keeps the
 * record (name, port, weights); the backend is told when targets or weights may have changed.
 */
export interface BalancerBackend {
  /** The port it listens on. */
  readonly port: number;
  /** Targets, weights or the added latency may have changed; resolves once the change is in effect. */
  refresh(record: LoadBalancerRecord): Promise<void>;
  close(): Promise<void>;
  /** Backends that count requests themselves (HAProxy) add what they counted since the last call. */
  collectMetrics?(): Promise<void>;
}

export type TargetSource = () => readonly TargetGroup[];

/**
 * Each server group's weight: as configured, or (without weights) its number of routable instances, so
 * every instance gets an equal share.
 */
export function weightOf(record: LoadBalancerRecord, serverGroup: string, routableInstances: number): number {
  if (record.weights === undefined) return routableInstances;
  return record.weights[serverGroup] ?? 0;
}
