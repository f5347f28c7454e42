import type { FastifyError, FastifyInstance } from 'fastify';
import { GennakerError, errorRegistry, type ErrorCode, type ErrorDetail, type ErrorKind } from '../core/errors.js';

/** The one place where error kinds become HTTP status codes. */
const statusByKind: Record<ErrorKind, number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

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
    path: issue.instancePath || undefined,
    expected: issue.message,
  }));
  return { status, payload: body('GNK_E_VALIDATION', `${errorRegistry.GNK_E_VALIDATION.title}: ${error.message}`, details) };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | GennakerError, request, reply) => {
    if (error instanceof GennakerError) {
      const status = statusByKind[error.kind];
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      return reply.status(status).send(body(error.code, error.message, error.details));
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
