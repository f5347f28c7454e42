import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GennakerError, errorRegistry, httpStatusByKind, type ErrorCode, type ErrorDetail } from '../core/errors.js';

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details: readonly ErrorDetail[];
  };
}

function body(code: ErrorCode, message: string, details: readonly ErrorDetail[] = []): ErrorBody {
  return { error: { code, message, details } };
}

/** Fastify's own errors (malformed JSON, body too large, schema failures) carry a 4xx statusCode. */
function fromFastifyError(error: FastifyError): { status: number; payload: ErrorBody } {
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    return { status: 500, payload: body('GNK_E_INTERNAL', errorRegistry.GNK_E_INTERNAL.title) };
  }
  const details = (error.validation ?? []).map((issue) => ({
    path: fieldPath(error.validationContext, issue.instancePath, issue.params),
    expected: issue.message,
  }));
  const message = details.length > 0 ? `${errorRegistry.GNK_E_VALIDATION.title}: ${details.map((detail) => detail.path).join(', ')}` : error.message;
  return { status, payload: body('GNK_E_VALIDATION', message, details) };
}

/**
 * `body.stages.0.name`: where the request went wrong, from the part of the request (body, params,
 * querystring, headers) and the schema validator's JSON pointer; unknown keys are named themselves.
 */
function fieldPath(context: string | undefined, pointer: string, params: Record<string, unknown> | undefined): string {
  const segments = pointer.split('/').filter((segment) => segment !== '');
  const unknownKeys = Array.isArray(params?.['keys']) ? (params['keys'] as unknown[]).map(String) : [];
  if (unknownKeys.length === 1) segments.push(unknownKeys[0] ?? '');
  return [context ?? 'request', ...segments].join('.');
}

/**
 * Errors Fastify raises before routing (a URL that does not decode, such as `/api/pipelines/%ZZ`) never
 * reach the error handler; this, passed as the `frameworkErrors` option, answers them in the same shape.
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const { status, payload } = fromFastifyError(error);
  void reply.status(status).send(payload);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | GennakerError, request, reply) => {
    if (error instanceof GennakerError) {
      const status = httpStatusByKind[error.kind];
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      return reply.status(status).send(body(error.code, error.message.replace(`${error.code}: `, ''), error.details));
    }
    const { status, payload } = fromFastifyError(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.status(status).send(payload);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(body('GNK_E_NOT_FOUND', `no route ${request.method} ${request.url}`, [{ path: request.url }])),
  );
}
