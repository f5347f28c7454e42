import type { Instance, LoadBalancer, ServerGroup } from '../../src/core/cloud/index.js';
import { launchSpecSchema, parseMoniker } from '../../src/core/cloud/index.js';

/** A server group as a provider would describe it; the name decides application and cluster. */
export function serverGroup(name: string, overrides: Partial<ServerGroup> = {}): ServerGroup {
  const moniker = parseMoniker(name)!;
  return {
    account: 'local',
    region: 'us-east',
    name,
    cluster: moniker.cluster,
    application: moniker.app,
    capacity: { min: 1, max: 1, desired: 1 },
    enabled: true,
    launch: launchSpecSchema.parse({
      artifact: { name: moniker.app, version: '1.0.0', location: '/srv/app' },
      command: ['node', 'server.js'],
    }),
    loadBalancers: [],
    instances: [],
    createdAt: 1000,
    ...overrides,
  };
}

export function instance(serverGroupName: string, id: string, overrides: Partial<Instance> = {}): Instance {
  return { id, serverGroup: serverGroupName, health: 'Up', address: '127.0.0.1:1', launchedAt: 1000, ...overrides };
}

export function loadBalancer(name: string, overrides: Partial<LoadBalancer> = {}): LoadBalancer {
  return { account: 'local', region: 'us-east', name, address: '127.0.0.1:2', ...overrides };
}
