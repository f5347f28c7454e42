import type { TaskSpec } from '../../core/execution/index.js';
import { webhookStageSchema, type WebhookInput } from '../../core/pipeline/stage-types/webhook.js';
import type { StageDefinition, TaskDefinition } from '../../engine/stage-contract.js';
import { running } from '../shared/results.js';
import { createWebhookTask } from './create-webhook.js';
import { monitorWebhookTask } from './monitor-webhook.js';

export interface WebhookOptions {
  /** Time for one HTTP exchange, connect and read together; Spinnaker's client allows 15 s + 20 s. */
  readonly requestTimeoutMs?: number;
}

const defaultRequestTimeoutMs = 20_000;

/** `waitBeforeMonitor` seconds, counted from when this task starts (right after the call). */
const waitBeforeMonitor: TaskDefinition<WebhookInput> = {
  run: async ({ input, task, now }) => {
    const remainingMs = Math.ceil(input.waitBeforeMonitor * 1000) - (now - (task.startTime ?? now));
    return remainingMs <= 0 ? { kind: 'succeeded' } : running(remainingMs);
  },
};

function planTasks(input: WebhookInput): TaskSpec[] {
  const tasks: TaskSpec[] = [];
  if (!input.monitorOnly) tasks.push({ name: 'createWebhook', implementation: 'createWebhook' });
  if (input.waitForCompletion) {
    if (input.waitBeforeMonitor > 0) tasks.push({ name: 'waitBeforeMonitorWebhook', implementation: 'waitBeforeMonitor' });
    tasks.push({ name: 'monitorWebhook', implementation: 'monitorWebhook' });
  }
  return tasks;
}

/**
 * Calls an HTTP endpoint and, with `waitForCompletion`, polls a status URL until the work it started
 * is done (Spinnaker's webhook stage). The answers are kept under `context.webhook`.
 */
export function webhookStage(options: WebhookOptions = {}): StageDefinition<WebhookInput> {
  const requestTimeoutMs = options.requestTimeoutMs ?? defaultRequestTimeoutMs;
  return {
    type: 'webhook',
    input: webhookStageSchema,
    plan: ({ input }) => ({ tasks: planTasks(input), beforeStages: [], afterStages: [] }),
    tasks: {
      createWebhook: createWebhookTask(requestTimeoutMs),
      waitBeforeMonitor,
      monitorWebhook: monitorWebhookTask(requestTimeoutMs),
    },
  };
}
