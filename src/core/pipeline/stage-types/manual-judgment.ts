import { z } from 'zod';
import { booleanOrExpression, nonEmptyText } from '../value-or-expression.js';
import { defineStageType } from './stage-type.js';

/**
 * `manualJudgment`: waits for a person to continue or stop, optionally choosing one of `judgmentInputs`.
 * Stage notifications (`sendNotifications`, `notifications`) are shared by every stage type.
 */
export const manualJudgmentStageSchema = z.looseObject({
  instructions: z.string().optional(),
  judgmentInputs: z.array(z.looseObject({ value: nonEmptyText('a non-empty option text') })).default([]),
  propagateAuthenticationContext: booleanOrExpression().default(false),
  preventSelfApproval: booleanOrExpression().default(false),
  selectedStageRoles: z.array(nonEmptyText('a role name')).default([]),
  requiredJudgmentRoles: z.array(nonEmptyText('a role name')).optional(),
});

export type ManualJudgmentStageContext = z.output<typeof manualJudgmentStageSchema>;

export const manualJudgmentStageType = defineStageType(manualJudgmentStageSchema);
