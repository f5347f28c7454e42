import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { locksOutCreator } from '../../core/auth/creator-lockout.js';
import type { ApplicationPermissions } from '../../core/auth/model.js';
import { trafficGuardSchema } from '../../core/deploy/traffic-guards.js';
import { GennakerError } from '../../core/errors.js';
import type { Application } from '../../store/applications.js';
import { executionStatuses, isActive } from '../../core/execution/status.js';
import { principalOf } from '../access.js';
import type { ApiApp, ApiDependencies } from '../server.js';
import { applicationInPath, applicationName, applicationParams, errorResponses, ifMatchHeaders, ifMatchVersion } from './shared.js';

const roleNames = z.array(z.string().trim().min(1, { error: 'expected a role name' }), { error: 'expected a list of role names' });

const permissionsSchema = z.strictObject({ READ: roleNames.optional(), WRITE: roleNames.optional(), EXECUTE: roleNames.optional() });

/** The fields a person sets; the name is fixed at creation. */
const editableFields = {
  email: z.email({ error: 'expected an e-mail address' }),
  owner: z.string().trim().min(1, { error: 'expected the owner' }).optional(),
  description: z.string().optional(),
  permissions: permissionsSchema.optional(),
  trafficGuards: z.array(trafficGuardSchema, { error: 'expected a list of traffic guards' }).optional(),
};

const createBody = z.strictObject({ name: applicationName, ...editableFields });

/** The version read, when the If-Match header does not carry it. */
const versionField = z.number().int().min(1, { error: 'expected the version you read' }).optional();

const replaceBody = z.strictObject({ ...editableFields, version: versionField });

const patchBody = z.strictObject({
  email: editableFields.email.optional(),
  owner: editableFields.owner,
  description: editableFields.description,
  permissions: editableFields.permissions,
  trafficGuards: editableFields.trafficGuards,
  version: versionField,
});

const applicationSchema = z.object({
  name: z.string(),
  email: z.string().optional(),
  owner: z.string().optional(),
  description: z.string().optional(),
  permissions: z.object({ READ: z.array(z.string()).optional(), WRITE: z.array(z.string()).optional(), EXECUTE: z.array(z.string()).optional() }),
  trafficGuards: z.array(z.looseObject({ account: z.string() })),
  version: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

type ApplicationBody = z.output<typeof applicationSchema>;

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The stored attributes as the API shows them; attributes written by older code may lack some. */
function toBody(application: Application): ApplicationBody {
  const attributes = application.attributes;
  const permissions = permissionsSchema.safeParse(attributes['permissions']);
  const guards = z.array(trafficGuardSchema).safeParse(attributes['trafficGuards']);
  const optionalText = (key: string): { [key: string]: string } => {
    const value = text(attributes[key]);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    name: application.name,
    ...optionalText('email'),
    ...optionalText('owner'),
    ...optionalText('description'),
    permissions: permissions.success ? permissions.data : {},
    trafficGuards: guards.success ? guards.data : [],
    version: application.version,
    createdAt: application.createdAt,
    updatedAt: application.updatedAt,
  };
}

/** The version read: an `If-Match` header or `version` in the body; one of them is required. */
function expectedVersion(request: FastifyRequest, bodyVersion: number | undefined): number {
  const version = ifMatchVersion(request) ?? bodyVersion;
  if (version !== undefined) return version;
  throw new GennakerError('GNK_E_VALIDATION', 'send the version you read (If-Match header or body.version) so a concurrent change is not lost', [
    { path: 'body.version', expected: 'the version you read' },
  ]);
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

export function registerApplicationRoutes(app: ApiApp, deps: ApiDependencies): void {
  const { store, access } = deps;
  const tags = ['applications'];
  const readable = { kind: 'application', action: 'READ', application: applicationInPath } as const;
  const writable = { kind: 'application', action: 'WRITE', application: applicationInPath } as const;

  async function existing(name: string): Promise<Application> {
    const found = await store.applications.get(name);
    if (!found) throw new GennakerError('GNK_E_NOT_FOUND', `application '${name}' does not exist`, [{ path: 'params.application' }]);
    return found;
  }

  app.get(
    '/api/applications',
    {
      config: { access: { kind: 'authenticated' } },
      schema: { tags, summary: 'The applications the caller may read', response: { 200: z.object({ applications: z.array(applicationSchema) }), ...errorResponses } },
    },
    async (request) => {
      const principal = principalOf(request);
      const all = await store.applications.list();
      const allowed = await Promise.all(all.map((application) => access.canApplication(principal, application.name, 'READ')));
      return { applications: all.filter((_, index) => allowed[index]).map(toBody) };
    },
  );

  app.post(
    '/api/applications',
    {
      config: { access: { kind: 'authenticated' } },
      schema: { tags, summary: 'Create an application', body: createBody, response: { 201: applicationSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { name, ...attributes } = request.body;
      const permissions: ApplicationPermissions = attributes.permissions ?? {};
      if (locksOutCreator(principal, permissions)) {
        throw new GennakerError('GNK_E_VALIDATION', `grant WRITE to one of your roles (${principal.roles.join(', ') || 'you have none'}), or you could not change ${name} after creating it`, [
          { path: 'body.permissions.WRITE', expected: `a list including one of: ${principal.roles.join(', ')}` },
        ]);
      }
      const created = await store.applications.create(name, withoutUndefined({ ...attributes, permissions }));
      return reply.status(201).header('etag', `"${created.version}"`).send(toBody(created));
    },
  );

  app.get(
    '/api/applications/:application',
    {
      config: { access: readable },
      schema: { tags, summary: 'One application', params: applicationParams, response: { 200: applicationSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const found = await existing(request.params.application);
      return reply.header('etag', `"${found.version}"`).send(toBody(found));
    },
  );

  app.put(
    '/api/applications/:application',
    {
      config: { access: writable },
      schema: {
        tags,
        summary: 'Replace an application (send the version you read: If-Match or body.version)',
        params: applicationParams,
        headers: ifMatchHeaders,
        body: replaceBody,
        response: { 200: applicationSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { version, ...attributes } = request.body;
      const expected = expectedVersion(request, version);
      const updated = await store.applications.update(request.params.application, withoutUndefined({ ...attributes, permissions: attributes.permissions ?? {} }), expected);
      return reply.header('etag', `"${updated.version}"`).send(toBody(updated));
    },
  );

  app.patch(
    '/api/applications/:application',
    {
      config: { access: writable },
      schema: {
        tags,
        summary: 'Change some fields of an application (send the version you read: If-Match or body.version)',
        params: applicationParams,
        headers: ifMatchHeaders,
        body: patchBody,
        response: { 200: applicationSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { version, ...changes } = request.body;
      const expected = expectedVersion(request, version);
      const current = await existing(request.params.application);
      const updated = await store.applications.update(current.name, withoutUndefined({ ...current.attributes, ...changes }), expected);
      return reply.header('etag', `"${updated.version}"`).send(toBody(updated));
    },
  );

  app.delete(
    '/api/applications/:application',
    {
      config: { access: writable },
      schema: { tags, summary: 'Delete an application that has no pipelines and nothing running', params: applicationParams, response: { 204: z.null(), ...errorResponses } },
    },
    async (request, reply) => {
      const name = (await existing(request.params.application)).name;
      const pipelines = await store.pipelineConfigs.listByApplication(name);
      if (pipelines.length > 0) {
        throw new GennakerError('GNK_E_CONFLICT', `application '${name}' still has ${pipelines.length} pipeline(s); delete them first`, [
          { path: 'params.application', expected: 'an application without pipelines', pipelines: pipelines.map((pipeline) => pipeline.id) },
        ]);
      }
      const running = await store.executions.list({ application: name, statuses: executionStatuses.filter(isActive), limit: 10 });
      if (running.length > 0) {
        throw new GennakerError('GNK_E_CONFLICT', `application '${name}' has executions still running; cancel them or wait`, [
          { path: 'params.application', expected: 'an application with nothing running', executions: running.map((execution) => execution.id) },
        ]);
      }
      await store.applications.delete(name);
      return reply.status(204).send(null);
    },
  );
}
