import { z } from 'zod';
import type { ResizeRequest } from '../../deploy/resize.js';
import { defaulted, optional, wholeNumber } from '../stage-fields.js';
import { numberLike } from '../value-or-expression.js';
import { capacityField } from './capacity-fields.js';
import { instancesUpTimeoutField, requireServerGroupTarget, serverGroupTargetFields } from './cloud-fields.js';
import { defineStageType } from './stage-type.js';

const actions = ['scale_exact', 'scale_up', 'scale_down'] as const;
const actionsExpected = 'expected scale_exact, scale_up or scale_down';
const resizeTypes = ['pct', 'incr', 'exact'] as const;

/**
 * `resizeServerGroup`: `action: scale_exact` with `capacity`, or `scale_up`/`scale_down` by `scalePct`
 * percent (`resizeType: pct`) or `scaleNum` instances (`resizeType: incr`). Waits until the new desired
 * number of instances is Up.
 */
export const resizeServerGroupStageSchema = z
  .looseObject({
    ...serverGroupTargetFields,
    action: defaulted(z.enum(actions, { error: actionsExpected }), 'scale_exact'),
    capacity: optional(capacityField),
    resizeType: optional(z.enum(resizeTypes, { error: 'expected pct, incr or exact' })),
    scalePct: optional(numberLike({ min: 0 }, 'expected a percentage, 0 or more')),
    scaleNum: optional(wholeNumber(0, 'expected a whole number of instances, 0 or more')),
    instancesUpTimeoutSec: instancesUpTimeoutField,
  })
  .superRefine((value, context) => {
    requireServerGroupTarget(value, context);
    const exact = value.action === 'scale_exact' || value.resizeType === 'exact';
    if (exact && value.capacity === undefined) {
      context.addIssue({ code: 'custom', path: ['capacity'], message: 'expected a capacity {"min": …, "max": …, "desired": …} for scale_exact', input: undefined });
    }
    if (!exact && value.resizeType === 'pct' && value.scalePct === undefined) {
      context.addIssue({ code: 'custom', path: ['scalePct'], message: 'expected a percentage to scale by (resizeType pct)', input: undefined });
    }
    if (!exact && value.resizeType === 'incr' && value.scaleNum === undefined) {
      context.addIssue({ code: 'custom', path: ['scaleNum'], message: 'expected a number of instances to scale by (resizeType incr)', input: undefined });
    }
    if (!exact && value.resizeType === undefined) {
      context.addIssue({ code: 'custom', path: ['resizeType'], message: `expected pct (with scalePct) or incr (with scaleNum) for ${value.action}`, input: undefined });
    }
  });

export type ResizeServerGroupInput = z.output<typeof resizeServerGroupStageSchema>;

/** The resize the fields ask for (the schema guarantees the fields each kind needs). */
export function resizeRequestOf(input: ResizeServerGroupInput): ResizeRequest {
  if (input.action === 'scale_exact' || input.resizeType === 'exact') {
    return { kind: 'exact', capacity: input.capacity ?? { min: 0, max: 0, desired: 0 } };
  }
  const direction = input.action === 'scale_up' ? 'up' : 'down';
  if (input.resizeType === 'pct') return { kind: 'percentage', direction, percent: input.scalePct ?? 0 };
  return { kind: 'number', direction, instances: input.scaleNum ?? 0 };
}

export const resizeServerGroupStageType = defineStageType(resizeServerGroupStageSchema);
