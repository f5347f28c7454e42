import type { TaskResult } from '../../core/execution/index.js';
import type { TaskDefinition } from '../../engine/stage-contract.js';
import { readJsonPath } from '../shared/json-path.js';
import { running, taskFailed } from '../shared/results.js';
import { bodyExcerpt, recordedAnswer, requestHeaders, sendRequest, sendsBody, shownUrl, type HttpAnswer } from './http.js';
import type { WebhookInput } from '../../core/pipeline/stage-types/webhook.js';

/** Spinnaker's CreateWebhookTask: 10 s between attempts, 5 min in all. */
const createBackoffMs = 10_000;
const createTimeoutMs = 5 * 60 * 1000;

type Resolution = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string };

function absoluteHttpUrl(candidate: string, base: string): Resolution {
  try {
    const url = new URL(candidate, base);
    if (url.protocol === 'http:' || url.protocol === 'https:') return { ok: true, url: url.href };
  } catch {
    // reported below
  }
  return { ok: false, reason: `\`${candidate}\` is not an http(s) URL` };
}

/** Where to poll for completion, as `statusUrlResolution` says. */
function statusEndpoint(input: WebhookInput, url: string, answer: HttpAnswer): Resolution {
  switch (input.statusUrlResolution) {
    case 'getMethod':
      return { ok: true, url };
    case 'locationHeader': {
      const location = answer.headers['location'];
      if (location === undefined || location.trim() === '') {
        return { ok: false, reason: 'the answer has no Location header, but statusUrlResolution is locationHeader' };
      }
      return absoluteHttpUrl(location.trim(), url);
    }
    case 'webhookResponse': {
      const path = input.statusUrlJsonPath ?? '';
      const found = readJsonPath(answer.body, path);
      if (!found.found) return { ok: false, reason: `statusUrlJsonPath ${path} found nothing in the answer: ${found.reason}` };
      if (typeof found.value !== 'string' || found.value.trim() === '') {
        return { ok: false, reason: `statusUrlJsonPath ${path} gave ${JSON.stringify(found.value)}, not a URL` };
      }
      return absoluteHttpUrl(found.value.trim(), url);
    }
  }
}

function judgeAnswer(input: WebhookInput, url: string, answer: HttpAnswer): TaskResult {
  const call = `${input.method} ${shownUrl(url)}`;
  const { statusCode } = answer;
  const webhook = recordedAnswer(answer);
  const failed = (error: string): TaskResult => taskFailed(error, { webhook: { ...webhook, error } }, [{ statusCode, url: shownUrl(url) }]);
  if (input.failFastStatusCodes.includes(statusCode)) {
    return failed(`webhook ${call} answered ${statusCode}, which failFastStatusCodes says not to retry${bodyExcerpt(answer)}`);
  }
  if (statusCode >= 500 || input.retryStatusCodes.includes(statusCode)) {
    return running(createBackoffMs, { webhook: { ...webhook, error: `webhook ${call} answered ${statusCode}; will retry` } });
  }
  if (statusCode < 200 || statusCode >= 400) {
    return failed(`webhook ${call} answered ${statusCode} ${answer.statusText}${bodyExcerpt(answer)}`);
  }
  if (!input.waitForCompletion) return { kind: 'succeeded', context: { webhook } };
  const endpoint = statusEndpoint(input, url, answer);
  if (!endpoint.ok) return failed(`webhook ${call} answered ${statusCode}, but its status URL cannot be found: ${endpoint.reason}`);
  return { kind: 'succeeded', context: { webhook: { ...webhook, statusEndpoint: endpoint.url } } };
}

/**
 * Sends the webhook. Network trouble, 5xx and `retryStatusCodes` answers are retried every 10 s until
 * the task's 5 minutes run out; every attempt carries the same Idempotency-Key, so a receiver that
 * honours it acts once however often the request arrives (after a crash, too).
 */
export function createWebhookTask(requestTimeoutMs: number): TaskDefinition<WebhookInput> {
  return {
    backoffMs: createBackoffMs,
    timeoutMs: createTimeoutMs,
    run: async ({ input, idempotencyKey, signal }) => {
      // The input schema requires a url for every webhook that is not monitorOnly, and only those plan this task.
      const url = input.url!;
      const headers = requestHeaders(input, idempotencyKey, sendsBody(input.method, input.payload));
      const outcome = await sendRequest({ url, method: input.method, headers, payload: input.payload }, requestTimeoutMs, signal);
      switch (outcome.kind) {
        case 'interrupted':
          return running(createBackoffMs);
        case 'unreachable':
          return running(createBackoffMs, { webhook: { error: `webhook ${input.method} ${shownUrl(url)} got no answer (${outcome.reason}); will retry` } });
        case 'answered':
          return judgeAnswer(input, url, outcome);
      }
    },
  };
}
