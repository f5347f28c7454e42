import { z } from 'zod';
import { defaulted, flag, optional, text, trimmedText } from '../stage-fields.js';
import { defineStageType } from './stage-type.js';

const judgmentOption = z.looseObject({ value: trimmedText('expected a non-empty option text') }, { error: 'expected an option {"value": "…"}' });
const roles = z.array(trimmedText('expected a role name'), { error: 'expected a list of role names' });

/**
 * `manualJudgment`: waits for a person to continue or stop, optionally choosing one of `judgmentInputs`.
 * Stage notifications (`sendNotifications`, `notifications`) are shared by every stage type.
 */
export const manualJudgmentStageSchema = z.looseObject({
  instructions: optional(text()),
  judgmentInputs: defaulted(z.array(judgmentOption, { error: 'expected a list of options, each {"value": "…"}' }), []),
  propagateAuthenticationContext: defaulted(flag, false),
  preventSelfApproval: defaulted(flag, false),
  selectedStageRoles: defaulted(roles, []),
  requiredJudgmentRoles: optional(roles),
});

export type ManualJudgmentInput = z.output<typeof manualJudgmentStageSchema>;

export const manualJudgmentStageType = defineStageType(manualJudgmentStageSchema);
