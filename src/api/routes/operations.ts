import { z } from 'zod';
import { GennakerError } from '../../core/errors.js';
import { principalOf } from '../access.js';
import type { ApiApp, ApiDependencies } from '../server.js';
import { requireAccountWrite } from './account-write.js';
import { applicationInPath, applicationParams, errorResponses } from './shared.js';

const stepSchema = z.strictObject({
  type: z.string().trim().min(1, { error: 'expected a stage type' }),
  name: z.string().trim().min(1).optional(),
  context: z.record(z.string(), z.unknown(), { error: "expected the stage's fields as an object" }).default({}),
});

const operationBody = z.strictObject({
  description: z.string().trim().min(1, { error: 'expected a description people will read' }).max(1000),
  steps: z.array(stepSchema, { error: 'expected a list of steps' }).min(1, { error: 'expected at least one step' }).max(100),
});

/** Ad-hoc operations: what a UI button or a CLI command runs without a saved pipeline, as an orchestration. */
export function registerOperationRoutes(app: ApiApp, deps: ApiDependencies): void {
  const { store, engine, access } = deps;
  app.post(
    '/api/applications/:application/operations',
    {
      config: { access: { kind: 'application', action: 'EXECUTE', application: applicationInPath } },
      schema: {
        tags: ['executions'],
        summary: 'Run stages one after another as an orchestration (needs EXECUTE and WRITE on every account they name)',
        params: applicationParams,
        body: operationBody,
        response: { 201: z.object({ id: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { application } = request.params;
      if (!(await store.applications.get(application))) {
        throw new GennakerError('GNK_E_NOT_FOUND', `application '${application}' does not exist`, [{ path: 'params.application' }]);
      }
      requireAccountWrite(access, principal, request.body.steps);
      const id = await engine.runOrchestration(application, request.body.description, request.body.steps, principal.name);
      return reply.status(201).send({ id });
    },
  );
}
