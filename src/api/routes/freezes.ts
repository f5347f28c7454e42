import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../../core/auth/model.js';
import { GennakerError } from '../../core/errors.js';
import { freezeScopeSchema, type FreezeScope } from '../../core/time-rules/index.js';
import { forbidden, principalOf, type AccessControl } from '../access.js';
import type { ApiApp, ApiDependencies } from '../server.js';
import { errorResponses, idParams } from './shared.js';

const freezeBody = z.strictObject({
  id: z.string().trim().min(1).max(200).optional(),
  scope: freezeScopeSchema,
  reason: z.string(),
  startsAtMs: z.number().int().min(0).optional(),
  endsAtMs: z.number().int().min(0).optional(),
  onFreeze: z.enum(['wait', 'fail']).optional(),
});

const freezeSchema = z.looseObject({ id: z.string(), scope: z.looseObject({ kind: z.enum(['global', 'application', 'account']) }), reason: z.string(), createdBy: z.string() });

/** Freezing (or lifting) needs WRITE on what the freeze covers; a global freeze is for administrators. */
async function requireFreezePermission(access: AccessControl, principal: Principal, scope: FreezeScope): Promise<void> {
  switch (scope.kind) {
    case 'global':
      if (!principal.admin) throw forbidden(principal, 'the administrator role (a global freeze)');
      return;
    case 'application':
      if (!(await access.canApplication(principal, scope.application, 'WRITE'))) throw forbidden(principal, `WRITE on application ${scope.application}`);
      return;
    case 'account':
      if (!access.canAccount(principal, scope.account, 'WRITE')) throw forbidden(principal, `WRITE on account ${scope.account}`);
      return;
  }
}

export function registerFreezeRoutes(app: ApiApp, deps: ApiDependencies): void {
  const { store, engine, access } = deps;
  const tags = ['freezes'];

  app.get(
    '/api/freezes',
    {
      config: { access: { kind: 'authenticated' } },
      schema: { tags, summary: 'Freezes not lifted (some may start or end later)', response: { 200: z.object({ freezes: z.array(freezeSchema) }), ...errorResponses } },
    },
    async () => ({ freezes: (await store.freezes.unlifted()).map((freeze) => ({ ...freeze })) }),
  );

  app.post(
    '/api/freezes',
    {
      config: { access: { kind: 'authenticated' } },
      schema: { tags, summary: 'Freeze an application, an account or everything', body: freezeBody, response: { 201: freezeSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      await requireFreezePermission(access, principal, request.body.scope);
      const freeze = await engine.freeze({
        startsAtMs: Date.now(),
        ...request.body,
        id: request.body.id ?? randomUUID(),
        createdBy: principal.name,
      });
      return reply.status(201).send({ ...freeze });
    },
  );

  app.delete(
    '/api/freezes/:id',
    {
      config: { access: { kind: 'authenticated' } },
      schema: { tags, summary: 'Lift a freeze now (stages waiting for it go on)', params: idParams, response: { 204: z.null(), ...errorResponses } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const freeze = await store.freezes.get(request.params.id);
      if (!freeze) throw new GennakerError('GNK_E_NOT_FOUND', `freeze ${request.params.id} does not exist`, [{ path: 'params.id' }]);
      await requireFreezePermission(access, principal, freeze.scope);
      await engine.liftFreeze(freeze.id, principal.name);
      return reply.status(204).send(null);
    },
  );
}
