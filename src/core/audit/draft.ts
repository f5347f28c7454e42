import type { AuditEventDraft } from './chain.js';
import type { AuditEventInput } from './event.js';
import { redactedSummary } from './redact.js';

/** What a recorder was handed, made ready for sealing: the time filled in, the summary plain JSON without secrets. */
export function auditDraft(input: AuditEventInput, now: number): AuditEventDraft {
  return {
    time: input.time ?? now,
    actor: input.actor,
    action: input.action,
    target: { type: input.target.type, id: input.target.id },
    application: input.application ?? (input.target.type === 'application' ? input.target.id : null),
    summary: redactedSummary(input.summary ?? {}),
    executionId: input.executionId ?? null,
  };
}
