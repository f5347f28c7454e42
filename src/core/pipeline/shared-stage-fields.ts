import { z } from 'zod';
import { notificationSchema } from './notifications.js';
import { booleanLike, nonEmptyText } from './value-or-expression.js';

/** Fields any stage may carry besides its own; they end up in the stage context with the type's fields. */
export const sharedStageFieldsSchema = z.looseObject({
  sendNotifications: booleanLike().optional(),
  notifications: z.array(notificationSchema).optional(),
  expectedArtifacts: z.array(z.looseObject({ id: nonEmptyText('an artifact id') })).optional(),
});

export const sharedStageFieldNames: readonly string[] = Object.keys(sharedStageFieldsSchema.shape);
