import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditTarget } from '../core/audit/chain.js';
import type { AuditRecorder } from '../core/audit/event.js';

/** What a route may say about how its requests are recorded; `false` for routes that record themselves (login). */
export interface RouteAuditHint {
  /** Dotted verb, e.g. `pipeline.restore`; default from the method and the route's URL template. */
  readonly action?: string;
  /** What the request changes; default from the last path parameter (or the body's or response's name or id). */
  readonly target?: (request: FastifyRequest) => AuditTarget;
}

/** Before/after values and links a handler attaches to its request with `auditChange`. */
export interface AuditChange {
  readonly before?: unknown;
  readonly after?: unknown;
  readonly application?: string;
  readonly executionId?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    audit?: RouteAuditHint | false;
  }
  interface FastifyRequest {
    auditChange?: AuditChange;
  }
}

/** Lets a handler add what the audit record of its request should show (merged over anything set earlier). */
export function auditChange(request: FastifyRequest, change: AuditChange): void {
  request.auditChange = { ...request.auditChange, ...change };
}

const verbByMethod: Readonly<Record<string, string>> = { POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' };
const unrecordedMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function segmentsOf(template: string): string[] {
  return template.split('/').filter((segment) => segment !== '' && segment !== 'api');
}

function isParameter(segment: string): boolean {
  return segment.startsWith(':');
}

function singular(word: string): string {
  return word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.endsWith('s') ? word.slice(0, -1) : word;
}

/**
 * `POST /api/applications` → `application.create`; `PUT /api/applications/:application` →
 * `application.update`; `POST /api/executions/:id/cancel` → `execution.cancel` (a verb, not a plural
 * collection, after a resource); `DELETE /api/applications/:application/pipelines/:id` →
 * `application.pipeline.delete`.
 */
export function actionOf(method: string, template: string): string {
  const segments = segmentsOf(template);
  const last = segments.at(-1);
  const operation = segments.length >= 2 && last !== undefined && !isParameter(last) && !last.endsWith('s') && isParameter(segments.at(-2)!);
  const resources = (operation ? segments.slice(0, -1) : segments).filter((segment) => !isParameter(segment)).map(singular);
  const verb = operation ? last : (verbByMethod[method] ?? method.toLowerCase());
  return [...resources, verb].join('.');
}

function stringField(value: unknown, ...names: string[]): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const name of names) {
    const field = (value as Record<string, unknown>)[name];
    if (typeof field === 'string' && field !== '') return field;
  }
  return undefined;
}

function parsedPayload(payload: unknown): unknown {
  if (typeof payload !== 'string') return undefined;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return undefined;
  }
}

/** The last path parameter names the target; a creation names it in its body or its response. */
export function targetOf(template: string, params: Readonly<Record<string, string>>, body: unknown, response: unknown): AuditTarget {
  const segments = segmentsOf(template);
  const lastParameterAt = segments.findLastIndex(isParameter);
  if (lastParameterAt >= 0) {
    const resource = segments.slice(0, lastParameterAt).findLast((segment) => !isParameter(segment)) ?? 'resource';
    return { type: singular(resource), id: params[segments[lastParameterAt]!.slice(1)] ?? '' };
  }
  const resource = segments.findLast((segment) => !isParameter(segment)) ?? 'api';
  return { type: singular(resource), id: stringField(body, 'name', 'id') ?? stringField(response, 'name', 'id') ?? '' };
}

/** The execution a route under `/api/executions/:id` acts on. */
export function executionIdOf(template: string, params: Readonly<Record<string, string>>): string | undefined {
  const segments = segmentsOf(template);
  const at = segments.indexOf('executions');
  const parameter = segments[at + 1];
  return at >= 0 && parameter !== undefined && isParameter(parameter) ? params[parameter.slice(1)] : undefined;
}

/**
 * Records every successful mutating request in the audit trail before the client hears of it: in
 * onSend, so a response that says "done" means the audit event is durable too (if recording fails
 * the client gets an error instead). Reads and refused requests are not recorded.
 */
export function installAuditHook(app: FastifyInstance, audit: AuditRecorder): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const hint = request.routeOptions.config.audit;
    const template = request.routeOptions.url;
    if (unrecordedMethods.has(request.method) || reply.statusCode >= 400 || hint === false || template === undefined) return payload;
    const params = (request.params ?? {}) as Record<string, string>;
    const change = request.auditChange ?? {};
    const target = hint?.target?.(request) ?? targetOf(template, params, request.body, parsedPayload(payload));
    const application = change.application ?? request.accessedApplication ?? params['application'] ?? (target.type === 'application' ? target.id : stringField(request.body, 'application'));
    const executionId = change.executionId ?? executionIdOf(template, params);
    await audit.record({
      actor: request.principal?.name ?? 'anonymous',
      action: hint?.action ?? actionOf(request.method, template),
      target,
      summary: {
        request: `${request.method} ${template}`,
        status: reply.statusCode,
        ...(request.body !== undefined && { body: request.body }),
        ...('before' in change && { before: change.before }),
        ...('after' in change && { after: change.after }),
      },
      ...(application !== undefined && { application }),
      ...(executionId !== undefined && { executionId }),
    });
    return payload;
  });
}
