import { z } from 'zod';
import { nonEmptyText, numberLike } from './value-or-expression.js';

/**
 * One notification entry, at pipeline level or on a stage. Kept loose: each notification type (email, slack,
 * …) has its own extra fields, and the notifier that sends it is the one that knows them.
 */
export const notificationSchema = z.looseObject({
  type: nonEmptyText('a notification type such as email or slack'),
  address: z.string().optional(),
  level: z.string().optional(),
  when: z.array(nonEmptyText('an event such as pipeline.failed')).optional(),
  message: z.record(z.string(), z.unknown()).optional(),
  cc: z.string().optional(),
  publisherName: z.string().optional(),
  notifyEveryMs: numberLike({ integer: true, min: 0 }).optional(),
});

export type NotificationConfig = z.output<typeof notificationSchema>;
