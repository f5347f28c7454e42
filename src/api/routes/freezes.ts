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

/** A global freeze concerns everyone; one of an application or account only those who may READ it. */
async function mayReadFreeze(access: AccessControl, principal: Principal, scope: FreezeScope): Promise<boolean> {
  switch (scope.kind) {
    case 'global':
      return true;
    case 'application':
      return access.canApplication(principal, scope.application, 'READ');
    case 'account':
      return access.canAccount(principal, scope.account, 'READ');
  }
}

export function registerFreezeRoutes(app: ApiApp, deps: ApiDependencies): void {
  const { store, engine, access } = deps;
  const tags = ['freezes'];

  app.get(
    '/api/freezes',
    {
      config: { access: { kind: 'authenticated' } },
      schema: {
        tags,
        summary: 'Freezes not lifted (some may start or end later) that the caller may READ, and every global one',
        response: { 200: z.object({ freezes: z.array(freezeSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const freezes = await store.freezes.unlifted();
      const readable = await Promise.all(freezes.map((freeze) => mayReadFreeze(access, principal, freeze.scope)));
      return { freezes: freezes.filter((_, index) => readable[index]).map((freeze) => ({ ...freeze })) };
    },
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
      // A freeze the caller may not even see answers as absent, like one that never existed.
      if (!freeze || !(await mayReadFreeze(access, principal, freeze.scope))) throw new GennakerError('GNK_E_NOT_FOUND', `freeze ${request.params.id} does not exist`, [{ path: 'params.id' }]);
      await requireFreezePermission(access, principal, freeze.scope);
      await engine.liftFreeze(freeze.id, principal.name);
      return reply.status(204).send(null);
    },
  );
}
