import { z } from 'zod';
import { commaList, defaulted, flag, optional, seconds, statusCodes } from '../shared/fields.js';

const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const statusUrlResolutions = ['getMethod', 'locationHeader', 'webhookResponse'] as const;

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

const httpUrl = z.string({ error: 'expected an http:// or https:// URL' }).trim().refine(isHttpUrl, { error: 'expected an http:// or https:// URL' });

const method = z
  .string({ error: `expected an HTTP method (${httpMethods.join(', ')})` })
  .trim()
  .transform((text) => text.toUpperCase())
  .pipe(z.enum(httpMethods, { error: `expected an HTTP method (${httpMethods.join(', ')})` }));

const headerValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())], { error: 'expected a header value: text or a list of texts' });

export const webhookInput = z
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
    statusUrlJsonPath: optional(z.string({ error: 'expected a JSON path such as $.statusUrl' })),
    statusEndpoint: optional(httpUrl),
    statusJsonPath: optional(z.string({ error: 'expected a JSON path such as $.status' })),
    progressJsonPath: optional(z.string({ error: 'expected a JSON path such as $.message' })),
    successStatuses: optional(z.string({ error: 'expected comma-separated statuses' }).transform(commaList)),
    canceledStatuses: optional(z.string({ error: 'expected comma-separated statuses' }).transform(commaList)),
    terminalStatuses: optional(z.string({ error: 'expected comma-separated statuses' }).transform(commaList)),
    monitorOnly: defaulted(flag, false),
  })
  .superRefine((input, context) => {
    if (input.url === undefined && !(input.monitorOnly && input.statusEndpoint !== undefined)) {
      context.addIssue({ code: 'custom', path: ['url'], message: 'expected the URL to call (only a monitorOnly webhook with a statusEndpoint can do without)' });
    }
    if (input.monitorOnly && !input.waitForCompletion) {
      context.addIssue({ code: 'custom', path: ['waitForCompletion'], message: 'expected true: a monitorOnly webhook only waits for completion' });
    }
    if (input.waitForCompletion && !input.monitorOnly && input.statusUrlResolution === 'webhookResponse' && !input.statusUrlJsonPath) {
      context.addIssue({ code: 'custom', path: ['statusUrlJsonPath'], message: 'expected the JSON path of the status URL in the response, as statusUrlResolution is webhookResponse' });
    }
  });

export type WebhookInput = z.output<typeof webhookInput>;
