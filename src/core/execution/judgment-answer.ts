import type { Principal } from '../auth/model.js';
import { GennakerError } from '../errors.js';
import type { Execution, Stage } from './model.js';

export const judgmentStatuses = ['continue', 'stop'] as const;

/** A person's answer to a manual judgment: go on or stop, with one of the stage's options when it offers some. */
export interface JudgmentAnswer {
  readonly judgmentStatus: (typeof judgmentStatuses)[number];
  readonly input?: string | undefined;
}

function judgmentOptions(stage: Stage): string[] {
  const options = stage.context['judgmentInputs'];
  if (!Array.isArray(options)) return [];
  return options.flatMap((option: unknown) => {
    const value = typeof option === 'object' && option !== null ? (option as Record<string, unknown>)['value'] : undefined;
    return typeof value === 'string' ? [value] : [];
  });
}

function roleList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((role): role is string => typeof role === 'string') : [];
}

/** Throws unless the stage is a manual judgment waiting for this caller's answer. */
export function checkJudgment(execution: Execution, stage: Stage, principal: Principal, answer: JudgmentAnswer): void {
  const waiting = stage.type === 'manualJudgment' && stage.status === 'RUNNING' && stage.context['judgmentStatus'] === undefined;
  if (!waiting) {
    throw new GennakerError('GNK_E_OPERATION_REFUSED', `stage ${stage.id} is not a manual judgment waiting for an answer (it is a ${stage.type} stage, ${stage.status})`, [
      { path: 'params.stageId', expected: 'a RUNNING manualJudgment stage not yet answered' },
    ]);
  }
  const options = judgmentOptions(stage);
  if (answer.input !== undefined && options.length > 0 && !options.includes(answer.input)) {
    throw new GennakerError('GNK_E_VALIDATION', `input must be one of the judgment's options: ${options.join(', ')}`, [{ path: 'body.input', expected: `one of ${options.join(', ')}` }]);
  }
  const required = roleList(stage.context['requiredJudgmentRoles']);
  if (!principal.admin && required.length > 0 && !principal.roles.some((role) => required.includes(role))) {
    throw new GennakerError('GNK_E_FORBIDDEN', `${principal.name} lacks one of the roles ${required.join(', ')}, which this judgment requires`, [{ path: 'requiredJudgmentRoles', expected: required.join(', ') }]);
  }
  if (stage.context['preventSelfApproval'] === true && answer.judgmentStatus === 'continue' && execution.trigger.user === principal.name) {
    throw new GennakerError('GNK_E_FORBIDDEN', `${principal.name} started this execution and this judgment prevents self-approval; someone else must continue it`, [{ path: 'preventSelfApproval', expected: 'an approver other than the one who started the execution' }]);
  }
}
