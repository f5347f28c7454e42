import { z } from 'zod';
import type { AuditEvent } from '../../core/audit/chain.js';
import type { Store } from '../../store/store.js';
import { principalOf, type AccessControl } from '../access.js';
import type { ApiApp } from '../server.js';

export const auditPageLimit = 500;

const auditQuerySchema = z.strictObject({
  application: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
  executionId: z.string().min(1).optional(),
  /** Events after this seq: 0 (the default) from the start, or the `next` of the page before. */
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(auditPageLimit).default(100),
});

const auditEventSchema = z.object({
  seq: z.number(),
  time: z.number(),
  actor: z.string(),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }),
  application: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()),
  executionId: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
}) satisfies z.ZodType<AuditEvent>;

const auditPageSchema = z.object({
  events: z.array(auditEventSchema),
  /** Pass as `since` for the next page; absent on the last page. */
  next: z.number().optional(),
});

/**
 * The audit trail, filtered and paged in seq order. Administrators see every event; anyone else sees
 * the events of applications they may READ (events about no application, such as logins, are theirs not).
 */
export function registerAuditRoutes(app: ApiApp, deps: { readonly store: Store; readonly access: AccessControl }): void {
  app.get(
    '/api/audit',
    {
      config: { access: { kind: 'authenticated' } },
      schema: { tags: ['audit'], summary: 'List audit events', querystring: auditQuerySchema, response: { 200: auditPageSchema } },
    },
    async (request) => {
      const principal = principalOf(request);
      const { since, limit, ...filters } = request.query;
      let visibleApplications: string[] | undefined;
      if (!principal.admin) {
        const applications = await deps.store.audit.applications();
        const readable = await Promise.all(applications.map((application) => deps.access.canApplication(principal, application, 'READ')));
        visibleApplications = applications.filter((_, index) => readable[index]);
      }
      const events = await deps.store.audit.list({ ...filters, afterSeq: since, limit, visibleApplications });
      return { events, ...(events.length === limit && { next: events.at(-1)!.seq }) };
    },
  );
}
