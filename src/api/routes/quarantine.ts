import { z } from 'zod';
import { GennakerError } from '../../core/errors.js';
import { principalOf } from '../access.js';
import type { ApiApp, ApiDependencies } from '../server.js';
import { applicationInPath, applicationName, applicationParams, errorResponses } from './shared.js';

const quarantinedSchema = z.object({
  application: z.string(),
  artifact: z.string(),
  version: z.string(),
  reason: z.string(),
  quarantinedBy: z.string(),
  quarantinedAt: z.number(),
});

const text = (what: string) => z.string().trim().min(1, { error: `expected ${what}` }).max(500);

const quarantineBody = z.strictObject({ artifact: text('an artifact name'), version: text('a version'), reason: text('a reason people will read') });

const versionParams = z.strictObject({ application: applicationName, artifact: text('an artifact name'), version: text('a version') });

/** Versions an operator marked bad for an application: deploys of them are refused until released. */
export function registerQuarantineRoutes(app: ApiApp, deps: ApiDependencies): void {
  const { store } = deps;
  const tags = ['quarantine'];
  const writable = { kind: 'application', action: 'WRITE', application: applicationInPath } as const;

  app.get(
    '/api/applications/:application/quarantine',
    {
      config: { access: { kind: 'application', action: 'READ', application: applicationInPath } },
      schema: { tags, summary: "An application's quarantined versions", params: applicationParams, response: { 200: z.object({ quarantined: z.array(quarantinedSchema) }), ...errorResponses } },
    },
    async (request) => ({ quarantined: await store.quarantine.list(request.params.application) }),
  );

  app.post(
    '/api/applications/:application/quarantine',
    {
      config: { access: writable },
      schema: { tags, summary: 'Quarantine a version (quarantining it again keeps the first record)', params: applicationParams, body: quarantineBody, response: { 201: quarantinedSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const { application } = request.params;
      if (!(await store.applications.get(application))) {
        throw new GennakerError('GNK_E_NOT_FOUND', `application '${application}' does not exist`, [{ path: 'params.application' }]);
      }
      const entry = await store.quarantine.quarantine({ application, ...request.body, quarantinedBy: principalOf(request).name, quarantinedAt: Date.now() });
      return reply.status(201).send(entry);
    },
  );

  app.delete(
    '/api/applications/:application/quarantine/:artifact/:version',
    {
      config: { access: writable },
      schema: { tags, summary: 'Release a quarantined version', params: versionParams, response: { 204: z.null(), ...errorResponses } },
    },
    async (request, reply) => {
      const { application, artifact, version } = request.params;
      if (!(await store.quarantine.release(application, artifact, version))) {
        throw new GennakerError('GNK_E_NOT_FOUND', `${artifact} version ${version} is not quarantined for ${application}`, [{ path: 'params.version' }]);
      }
      return reply.status(204).send(null);
    },
  );
}
