import { z } from 'zod';
import {
  booleanOrExpression,
  enumOrExpression,
  isExpression,
  numberLike,
  numberOrExpression,
  orExpression,
} from '../value-or-expression.js';
import { defineStageType } from './stage-type.js';

const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const httpUrl = z.string({ error: 'an http:// or https:// URL, or an expression' }).refine((url) => isExpression(url) || (/^https?:\/\//i.test(url) && URL.canParse(url)), {
  error: 'an http:// or https:// URL, or an expression',
});

const statusCodes = orExpression(
  z.array(numberLike({ integer: true, min: 100, max: 599 })),
  'a list of HTTP status codes (100–599) or an expression',
);

/** Orca reads these as one string and splits it on commas. */
const statusList = z.string({ error: 'a comma-separated list of statuses, e.g. "SUCCESS,DONE"' }).optional();

/**
 * `webhook`: calls `url`, then, with `waitForCompletion`, polls a status URL until `statusJsonPath` in the
 * response reads one of the success, canceled or terminal statuses.
 */
export const webhookStageSchema = z
  .looseObject({
    url: httpUrl,
    method: enumOrExpression(httpMethods).default('POST'),
    customHeaders: z
      .record(z.string(), z.union([z.string(), z.array(z.string())], { error: 'a header value (text, or a list of text)' }))
      .optional(),
    payload: z.unknown().optional(),
    failFastStatusCodes: statusCodes.optional(),
    retryStatusCodes: statusCodes.optional(),
    waitForCompletion: booleanOrExpression().default(false),
    waitBeforeMonitor: numberOrExpression({ min: 0 }, 'a number of seconds or an expression').optional(),
    statusUrlResolution: enumOrExpression(['getMethod', 'locationHeader', 'webhookResponse']).optional(),
    statusUrlJsonPath: z.string().optional(),
    statusJsonPath: z.string().optional(),
    progressJsonPath: z.string().optional(),
    successStatuses: statusList,
    canceledStatuses: statusList,
    terminalStatuses: statusList,
    cancelEndpoint: httpUrl.optional(),
    cancelMethod: enumOrExpression(httpMethods).optional(),
    cancelPayload: z.unknown().optional(),
    monitorOnly: booleanOrExpression().default(false),
  })
  .superRefine((webhook, context) => {
    if (webhook.waitForCompletion === true && !webhook.statusJsonPath) {
      context.addIssue({
        code: 'custom',
        path: ['statusJsonPath'],
        message: 'a JSON path to the status in the monitored response, because waitForCompletion is true',
      });
    }
    if (webhook.statusUrlResolution === 'webhookResponse' && !webhook.statusUrlJsonPath) {
      context.addIssue({
        code: 'custom',
        path: ['statusUrlJsonPath'],
        message: 'a JSON path to the status URL in the response, because statusUrlResolution is webhookResponse',
      });
    }
  });

export type WebhookStageContext = z.output<typeof webhookStageSchema>;

export const webhookStageType = defineStageType(webhookStageSchema);
