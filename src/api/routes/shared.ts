import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GennakerError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import type { ResourceOf } from '../access.js';

/** Frigga's application names as Gennaker accepts them: lowercase letters and digits. */
export const applicationName = z
  .string()
  .regex(/^[a-z0-9]+$/, { error: 'expected an application name: lowercase letters and digits' })
  .max(100, { error: 'expected an application name of at most 100 characters' });

export const applicationParams = z.strictObject({ application: applicationName });

export const idParams = z.strictObject({ id: z.string().min(1).max(200) });

const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.looseObject({ path: z.string().optional(), expected: z.string().optional() })),
  }),
});

/** The error answers a route documents besides its success (the same body for every status). */
export const errorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

function param(request: FastifyRequest, name: string): string | undefined {
  const value = (request.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The application named in the path (`:application`). */
export const applicationInPath: ResourceOf = (request) => param(request, 'application');

/** The application of the saved pipeline named in the path (`:id`); undefined (404) when there is none. */
export function pipelineApplication(store: Store): ResourceOf {
  return async (request) => {
    const id = param(request, 'id');
    return id === undefined ? undefined : (await store.pipelineConfigs.get(id))?.application;
  };
}

/** The application of the execution named in the path (`:id`); undefined (404) when there is none. */
export function executionApplication(store: Store): ResourceOf {
  return async (request) => {
    const id = param(request, 'id');
    return id === undefined ? undefined : store.executions.applicationOf(id);
  };
}

export const ifMatchHeaders = z.looseObject({ 'if-match': z.string().optional() });

/** The version in an `If-Match` header (`"3"`, `W/"3"` or `3`), or undefined when the request has none. */
export function ifMatchVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (typeof header !== 'string') return undefined;
  const version = Number(header.trim().replace(/^W\//, '').replaceAll('"', ''));
  if (!Number.isInteger(version) || version < 1) {
    throw new GennakerError('GNK_E_VALIDATION', 'If-Match must carry the version you read, e.g. "3"', [{ path: 'headers.if-match', expected: 'a version number' }]);
  }
  return version;
}
