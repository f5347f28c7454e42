import { isComplete, type EngineEvent, type ExecutionState } from '../execution/index.js';
import type { AuditEventInput } from './event.js';

/** Whether an engine event may deserve an audit record, decided before anything is loaded for it. */
export function mayBeAudited(event: EngineEvent): boolean {
  switch (event.kind) {
    case 'execution':
      return event.status === 'RUNNING' || isComplete(event.status);
    case 'stage':
      return isComplete(event.status);
    case 'task':
      return false;
  }
}

function judgedBy(context: Readonly<Record<string, unknown>>): string | undefined {
  const user = context['lastModifiedBy'];
  return typeof user === 'string' && user !== '' ? user : undefined;
}

/**
 * The audit record of an engine event, if it gets one: an execution starting (its first RUNNING, not a
 * resume) and ending, an infrastructure-changing stage ending, and a manual judgment answered — by the
 * person who answered it (the stage context's `lastModifiedBy`). `state` is the execution after the event.
 */
export function executionAuditEvent(event: EngineEvent, state: ExecutionState, infrastructureStageTypes: ReadonlySet<string>): AuditEventInput | undefined {
  const { execution } = state;
  const kind = execution.type === 'PIPELINE' ? 'pipeline' : 'orchestration';
  const common = { actor: execution.trigger.user, application: execution.application, executionId: execution.id, time: event.at };
  switch (event.kind) {
    case 'execution': {
      const target = { type: kind, id: execution.pipelineConfigId ?? execution.name };
      if (event.status === 'RUNNING') {
        if (execution.startTime !== event.at) return undefined;
        return { ...common, action: `${kind}.start`, target, summary: { name: execution.name, trigger: { type: execution.trigger.type, parameters: execution.trigger.parameters } } };
      }
      if (!isComplete(event.status)) return undefined;
      return { ...common, action: `${kind}.end`, target, summary: { name: execution.name, status: event.status, ...(execution.canceledBy !== undefined && { canceledBy: execution.canceledBy }) } };
    }
    case 'stage': {
      const stage = state.stages.find((candidate) => candidate.id === event.stageId);
      if (!stage || !isComplete(event.status)) return undefined;
      const target = { type: 'stage', id: `${execution.id}/${stage.id}` };
      if (stage.type === 'manualJudgment') {
        const judgment = stage.context['judgmentStatus'];
        if (judgment === undefined) return undefined;
        return {
          ...common,
          actor: judgedBy(stage.context) ?? common.actor,
          action: 'stage.manualJudgment',
          target,
          summary: { stage: stage.name, judgmentStatus: judgment, judgmentInput: stage.context['judgmentInput'] ?? null, status: event.status },
        };
      }
      if (!infrastructureStageTypes.has(stage.type)) return undefined;
      return { ...common, action: `stage.${stage.type}`, target, summary: { stage: stage.name, status: event.status, ...(stage.failure && { failure: stage.failure }) } };
    }
    case 'task':
      return undefined;
  }
}
