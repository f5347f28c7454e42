import type { TaskResult } from '../../core/execution/index.js';
import type { TaskContext, TaskDefinition } from '../../engine/stage-contract.js';
import { readJsonPath } from '../shared/json-path.js';
import { mapAt, running, taskFailed } from '../shared/results.js';
import { bodyExcerpt, recordedAnswer, requestHeaders, sendRequest, shownUrl, type HttpAnswer } from './http.js';
import type { WebhookInput } from '../../core/pipeline/stage-types/webhook.js';

/** Spinnaker's MonitorWebhookTask: poll every second for a minute, then every 15 s, for up to 1 h. */
const fastPollMs = 1_000;
const slowPollMs = 15_000;
const fastPollingForMs = 60_000;
const monitorTimeoutMs = 60 * 60 * 1000;

type Monitor = Record<string, unknown>;

function pollBackoff({ now, task }: TaskContext<WebhookInput>): number {
  return now - (task.startTime ?? now) > fastPollingForMs ? slowPollMs : fastPollMs;
}

function statusEndpointOf(input: WebhookInput, webhook: Readonly<Record<string, unknown>>): string | undefined {
  if (input.monitorOnly) return input.statusEndpoint ?? input.url;
  const endpoint = webhook['statusEndpoint'];
  return typeof endpoint === 'string' && endpoint !== '' ? endpoint : undefined;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * What a status answer means. A number is a percentage (100 = done); text is looked up in the status
 * lists, case-insensitively, terminal before canceled before success as in Spinnaker; anything else
 * means "not yet".
 */
function judgeStatus(
  input: WebhookInput,
  endpoint: string,
  answer: HttpAnswer,
  backoffMs: number,
  finish: (monitor: Monitor) => Record<string, unknown>,
): TaskResult {
  const monitor: Monitor = recordedAnswer(answer);
  const failed = (error: string, extra: Monitor = {}): TaskResult => taskFailed(error, finish({ ...monitor, ...extra, error }), [{ statusEndpoint: shownUrl(endpoint) }]);
  if (input.statusJsonPath === undefined || input.statusJsonPath.trim() === '') return { kind: 'succeeded', context: finish(monitor) };
  const status = readJsonPath(answer.body, input.statusJsonPath);
  if (!status.found) return failed(`statusJsonPath ${input.statusJsonPath} found nothing in the status answer from ${shownUrl(endpoint)}: ${status.reason}`);
  if (!isScalar(status.value)) {
    return failed(`statusJsonPath ${input.statusJsonPath} gave ${JSON.stringify(status.value)}, not a single value`, { resolvedValue: status.value ?? null });
  }
  if (input.progressJsonPath !== undefined && input.progressJsonPath.trim() !== '') {
    const progress = readJsonPath(answer.body, input.progressJsonPath);
    if (!progress.found) return failed(`progressJsonPath ${input.progressJsonPath} found nothing in the status answer: ${progress.reason}`);
    if (typeof progress.value !== 'string') {
      return failed(`progressJsonPath ${input.progressJsonPath} gave ${JSON.stringify(progress.value)}, not text`, { resolvedValue: progress.value ?? null });
    }
    monitor['progressMessage'] = progress.value;
  }
  if (typeof status.value === 'number') {
    monitor['percentComplete'] = status.value;
    return status.value === 100 ? { kind: 'succeeded', context: finish(monitor) } : running(backoffMs, finish(monitor));
  }
  const reported = String(status.value).toUpperCase();
  const listed = (statuses: readonly string[] | undefined): boolean => (statuses ?? []).some((each) => each.toUpperCase() === reported);
  if (listed(input.terminalStatuses)) return failed(`the webhook's status endpoint ${shownUrl(endpoint)} reports ${String(status.value)}, one of its terminalStatuses`);
  // A canceled result carries no context, so this last answer is not recorded (see docs/stages.md).
  if (listed(input.canceledStatuses)) return { kind: 'canceled' };
  if (listed(input.successStatuses)) return { kind: 'succeeded', context: finish(monitor) };
  return running(backoffMs, finish(monitor));
}

/**
 * Polls the status endpoint until its answer says the work is done. Network trouble, 5xx and
 * `retryStatusCodes` answers mean "ask again"; other failing answers fail the stage. Each poll has its
 * own Idempotency-Key (the task's key and the poll number), so a receiver that deduplicates by key
 * still answers every poll afresh.
 */
export function monitorWebhookTask(requestTimeoutMs: number): TaskDefinition<WebhookInput> {
  return {
    backoffMs: fastPollMs,
    timeoutMs: monitorTimeoutMs,
    run: async (context) => {
      const { input, stage, idempotencyKey, signal } = context;
      const webhook = mapAt(stage.context['webhook']);
      const endpoint = statusEndpointOf(input, webhook);
      if (endpoint === undefined) return taskFailed('the webhook has no status endpoint to poll: createWebhook recorded none');
      const previous = mapAt(webhook['monitor']);
      const polls = (typeof previous['polls'] === 'number' ? previous['polls'] : 0) + 1;
      const backoffMs = pollBackoff(context);
      const finish = (monitor: Monitor): Record<string, unknown> => ({ webhook: { ...webhook, monitor: { ...monitor, polls } } });
      const headers = requestHeaders(input, `${idempotencyKey}:monitor:${polls}`, false);
      const outcome = await sendRequest({ url: endpoint, method: 'GET', headers }, requestTimeoutMs, signal);
      switch (outcome.kind) {
        case 'interrupted':
          return running(backoffMs);
        case 'unreachable':
          return running(backoffMs, finish({ error: `status endpoint ${shownUrl(endpoint)} got no answer (${outcome.reason}); will retry` }));
        case 'answered': {
          const { statusCode } = outcome;
          if (statusCode >= 500 || input.retryStatusCodes.includes(statusCode)) {
            return running(backoffMs, finish({ ...recordedAnswer(outcome), error: `status endpoint ${shownUrl(endpoint)} answered ${statusCode}; will retry` }));
          }
          if (statusCode < 200 || statusCode >= 300) {
            const error = `status endpoint ${shownUrl(endpoint)} answered ${statusCode} ${outcome.statusText}${bodyExcerpt(outcome)}`;
            return taskFailed(error, finish({ ...recordedAnswer(outcome), error }), [{ statusCode, statusEndpoint: shownUrl(endpoint) }]);
          }
          return judgeStatus(input, endpoint, outcome, backoffMs, finish);
        }
      }
    },
  };
}
