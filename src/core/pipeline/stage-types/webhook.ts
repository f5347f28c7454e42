import { z } from 'zod';
import { commaList, defaulted, flag, optional, seconds, statusCodes, text, upperCaseEnum } from '../stage-fields.js';
import { defineStageType } from './stage-type.js';

const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const statusUrlResolutions = ['getMethod', 'locationHeader', 'webhookResponse'] as const;

const httpUrlExpected = 'expected an http:// or https:// URL';

/** `URL.canParse` and a protocol check: the URL global is part of the language runtime, not node I/O. */
function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value) && URL.canParse(value);
}

const httpUrl = z.string({ error: httpUrlExpected }).trim().refine(isHttpUrl, { error: httpUrlExpected });

const method = upperCaseEnum(httpMethods, `expected an HTTP method (${httpMethods.join(', ')})`);

const headerValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())], { error: 'expected a header value: text or a list of texts' });

/** Orca reads these as one string and splits it on commas. */
const statusList = optional(text('expected comma-separated statuses, e.g. "SUCCESS, DONE"').transform(commaList));

/** Deck writes `""` for a path nobody filled in; it means the same as no path. */
function isBlank(value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && value.trim() === '');
}

/**
 * `webhook`: calls `url`, then, with `waitForCompletion`, polls a status URL until `statusJsonPath` in the
 * response reads one of the success, canceled or terminal statuses (without one, the first 2xx answer
 * means done). `monitorOnly` skips the call and polls `statusEndpoint` (or `url`).
 */
export const webhookStageSchema = z
  .looseObject({
    url: optional(httpUrl),
    method: defaulted(method, 'POST'),
    customHeaders: defaulted(z.record(z.string(), headerValue, { error: 'expected a map of header names to values' }), {}),
    payload: z.unknown().optional(),
    failFastStatusCodes: defaulted(statusCodes, [504]),
    retryStatusCodes: defaulted(statusCodes, [429]),
    waitForCompletion: defaulted(flag, false),
    waitBeforeMonitor: defaulted(seconds(), 0),
    statusUrlResolution: defaulted(z.enum(statusUrlResolutions, { error: `expected one of ${statusUrlResolutions.join(', ')}` }), 'getMethod'),
    statusUrlJsonPath: optional(text('expected a JSON path such as $.statusUrl')),
    statusEndpoint: optional(httpUrl),
    statusJsonPath: optional(text('expected a JSON path such as $.status')),
    progressJsonPath: optional(text('expected a JSON path such as $.message')),
    successStatuses: statusList,
    canceledStatuses: statusList,
    terminalStatuses: statusList,
    monitorOnly: defaulted(flag, false),
  })
  .superRefine(
    (webhook, context) => {
      // Compared with `=== true`: at save time a field that failed, or holds an expression, arrives as
      // written here, and only a literal value may decide a rule.
      const { url, statusEndpoint, monitorOnly, waitForCompletion, statusUrlResolution, statusUrlJsonPath } = webhook;
      if (url === undefined && !(monitorOnly === true && statusEndpoint !== undefined)) {
        context.addIssue({ code: 'custom', path: ['url'], message: 'expected the URL to call (only a monitorOnly webhook with a statusEndpoint can do without)' });
      }
      if (monitorOnly === true && waitForCompletion === false) {
        context.addIssue({ code: 'custom', path: ['waitForCompletion'], message: 'expected true: a monitorOnly webhook only waits for completion' });
      }
      if (waitForCompletion === true && monitorOnly === false && statusUrlResolution === 'webhookResponse' && isBlank(statusUrlJsonPath)) {
        context.addIssue({
          code: 'custom',
          path: ['statusUrlJsonPath'],
          message: 'expected the JSON path of the status URL in the response, as statusUrlResolution is webhookResponse',
        });
      }
    },
    // Rules run even when some field failed, so `gennaker validate` reports them alongside.
    { when: () => true },
  );

export type WebhookInput = z.output<typeof webhookStageSchema>;

export const webhookStageType = defineStageType(webhookStageSchema);
