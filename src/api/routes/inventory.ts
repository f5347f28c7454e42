import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Principal } from '../../core/auth/model.js';
import { groupByApplication, loadBalancerApplication } from '../../core/cloud/index.js';
import { GennakerError } from '../../core/errors.js';
import { principalOf, type AccessControl } from '../access.js';
import type { ApiApp, ApiDependencies } from '../server.js';
import { ServerGroupsJson } from '../server-groups-json.js';
import { applicationInPath, applicationName, applicationParams, errorResponses } from './shared.js';

// Resources are sent as the inventory holds them; the schemas name what clients rely on (and keep the rest).
const serverGroupSchema = z.looseObject({
  account: z.string(),
  region: z.string(),
  name: z.string(),
  cluster: z.string(),
  application: z.string(),
  enabled: z.boolean(),
});
const loadBalancerSchema = z.looseObject({ account: z.string(), region: z.string(), name: z.string(), address: z.string() });
const clusterSchema = z.object({ account: z.string(), name: z.string(), serverGroups: z.array(serverGroupSchema) });
const accountSchema = z.object({ name: z.string(), provider: z.string(), regions: z.array(z.string()) });

const serverGroupParams = z.strictObject({ application: applicationName, account: z.string().min(1), region: z.string().min(1), name: z.string().min(1) });

/** Keeps what the caller may read, asking once per application however many resources it has. */
async function readableBy<T>(access: AccessControl, principal: Principal, resources: readonly T[], applicationOf: (resource: T) => string): Promise<T[]> {
  if (principal.admin) return [...resources];
  const verdicts = new Map<string, Promise<boolean>>();
  const allowed = await Promise.all(
    resources.map((resource) => {
      const application = applicationOf(resource);
      const verdict = verdicts.get(application) ?? access.canApplication(principal, application, 'READ');
      verdicts.set(application, verdict);
      return verdict;
    }),
  );
  return resources.filter((_, index) => allowed[index]);
}

/** What runs where: accounts, clusters, server groups with their instances, load balancers. */
export function registerInventoryRoutes(app: ApiApp, deps: ApiDependencies): void {
  const { inventory, providers, access } = deps;
  const serverGroupsJson = new ServerGroupsJson(inventory);
  app.addHook('onClose', async () => serverGroupsJson.close());
  const tags = ['inventory'];
  const readable = { kind: 'application', action: 'READ', application: applicationInPath } as const;

  app.get('/api/inventory', { config: { access: { kind: 'admin' } }, schema: { tags, summary: 'Everything the inventory holds' } }, async () => ({
    serverGroups: inventory.serverGroups(),
    loadBalancers: inventory.loadBalancers(),
  }));

  app.get(
    '/api/accounts',
    {
      config: { access: { kind: 'authenticated' } },
      schema: { tags, summary: 'The accounts the caller may read, with their regions', response: { 200: z.object({ accounts: z.array(accountSchema) }), ...errorResponses } },
    },
    async (request) => {
      const principal = principalOf(request);
      return { accounts: providers.accounts().filter((account) => access.canAccount(principal, account.name, 'READ')) };
    },
  );

  app.get(
    '/api/applications/:application/clusters',
    {
      config: { access: readable },
      schema: { tags, summary: "An application's clusters, each with its server groups", params: applicationParams, response: { 200: z.object({ clusters: z.array(clusterSchema) }), ...errorResponses } },
    },
    async (request) => {
      const clusters = groupByApplication(inventory.serverGroupsOf(request.params.application))[0]?.clusters ?? [];
      return { clusters: clusters.map((cluster) => ({ ...cluster, serverGroups: [...cluster.serverGroups] })) };
    },
  );

  app.get(
    '/api/applications/:application/serverGroups',
    {
      config: { access: readable },
      schema: { tags, summary: "An application's server groups with their instances", params: applicationParams, response: { 200: z.object({ serverGroups: z.array(serverGroupSchema) }), ...errorResponses } },
    },
    // Already encoded (see ServerGroupsJson): sent as it is, past the schema's encoder, through the untyped reply.
    async (request, reply) => (reply as FastifyReply).type('application/json; charset=utf-8').send(serverGroupsJson.of(request.params.application)),
  );

  app.get(
    '/api/applications/:application/loadBalancers',
    {
      config: { access: readable },
      schema: { tags, summary: "The load balancers named after the application", params: applicationParams, response: { 200: z.object({ loadBalancers: z.array(loadBalancerSchema) }), ...errorResponses } },
    },
    async (request) => ({ loadBalancers: inventory.loadBalancersOf(request.params.application) }),
  );

  app.get(
    '/api/applications/:application/serverGroups/:account/:region/:name',
    {
      config: { access: readable },
      schema: { tags, summary: 'One server group with its instances', params: serverGroupParams, response: { 200: serverGroupSchema, ...errorResponses } },
    },
    async (request) => {
      const { application, account, region, name } = request.params;
      const group = inventory.serverGroup(account, region, name);
      if (!group || group.application !== application) {
        throw new GennakerError('GNK_E_NOT_FOUND', `application ${application} has no server group ${name} in ${account}/${region}`, [{ path: 'params.name' }]);
      }
      return group;
    },
  );

  app.get(
    '/api/serverGroups',
    {
      config: { access: { kind: 'authenticated' } },
      schema: { tags, summary: 'Server groups of every application the caller may read', response: { 200: z.object({ serverGroups: z.array(serverGroupSchema) }), ...errorResponses } },
    },
    async (request) => ({ serverGroups: await readableBy(access, principalOf(request), inventory.serverGroups(), (group) => group.application) }),
  );

  app.get(
    '/api/loadBalancers',
    {
      config: { access: { kind: 'authenticated' } },
      schema: { tags, summary: 'Load balancers of every application the caller may read', response: { 200: z.object({ loadBalancers: z.array(loadBalancerSchema) }), ...errorResponses } },
    },
    async (request) => ({
      loadBalancers: await readableBy(access, principalOf(request), inventory.loadBalancers(), (balancer) => loadBalancerApplication(balancer.name)),
    }),
  );
}
