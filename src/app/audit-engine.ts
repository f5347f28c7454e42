import { executionAuditEvent, mayBeAudited } from '../core/audit/execution-events.js';
import type { AuditRecorder } from '../core/audit/event.js';
import type { EngineEvent } from '../core/execution/index.js';
import type { Engine } from '../engine/engine.js';
import type { StageDefinition } from '../engine/stage-contract.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';

/**
 * Records executions starting and ending, infrastructure-changing stages ending and manual judgments,
 * as the engine publishes them after each commit. Returns what stops it, once the records under way are written.
 */
export function auditEngineEvents(engine: Engine, stages: readonly StageDefinition<unknown>[], store: Store, audit: AuditRecorder, logger: Logger): () => Promise<void> {
  const infrastructureStageTypes = new Set(stages.filter((stage) => stage.changesInfrastructure === true).map((stage) => stage.type));
  // One after another, so the trail lists them in the order the engine published them.
  let tail = Promise.resolve();
  const listener = (event: EngineEvent): void => {
    if (!mayBeAudited(event)) return;
    tail = tail
      .then(async () => {
        const state = await store.executions.load(event.executionId);
        const input = state && executionAuditEvent(event, state, infrastructureStageTypes);
        if (input) await audit.record(input);
      })
      .catch((error: unknown) => logger.error({ err: error, event }, 'could not record an execution event in the audit trail'));
  };
  engine.events.on('event', listener);
  return async () => {
    engine.events.off('event', listener);
    await tail;
  };
}
