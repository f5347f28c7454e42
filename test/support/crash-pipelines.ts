import type { ExecutionStatus } from '../../src/core/execution/index.js';
import type { Submission } from './engine-process.js';

/** What an execution must come to, derived from its design alone. */
export interface Expected {
  readonly status: ExecutionStatus;
  readonly stages: Readonly<Record<string, ExecutionStatus>>;
  /** Webhook stages whose effect must have happened exactly once; every other webhook stage is never called. */
  readonly webhooks: readonly string[];
  /** runJob stages whose command must have run exactly once; no other job of the execution runs. */
  readonly jobs: readonly string[];
  /** The exit code of each job stage meant to fail; its failure must say so. */
  readonly failedJobs: Readonly<Record<string, number>>;
}

export interface PlannedExecution {
  readonly design: string;
  readonly submission: Submission;
  readonly expected: Expected;
}

/** Where the side effects go: the webhook receiver, and the file every job appends its idempotency key to. */
export interface EffectTargets {
  readonly hookUrl: string;
  readonly runsFile: string;
}

type StageConfig = Record<string, unknown>;

interface Builders {
  vars(): StageConfig;
  webhook(refId: string, after: string[], monitored?: boolean): StageConfig;
  job(refId: string, after: string[], exitCode?: number, failure?: StageConfig): StageConfig;
  wait(refId: string, after: string[], seconds: number): StageConfig;
}

function builders(executionId: string, targets: EffectTargets): Builders {
  return {
    vars: () => ({
      refId: '1',
      name: 'Vars',
      type: 'evaluateVariables',
      variables: [
        { key: 'n', value: '${parameters.n}' },
        { key: 'label', value: 'run-${n}' },
      ],
    }),
    webhook: (refId, after, monitored = false) => ({
      refId,
      name: `Hook ${refId}`,
      type: 'webhook',
      requisiteStageRefIds: after,
      url: `${targets.hookUrl}/hook/${executionId}/${refId}`,
      method: 'POST',
      payload: { label: "${#stage('Vars').outputs.label}", stage: refId },
      ...(monitored ? { waitForCompletion: true, statusUrlResolution: 'locationHeader', statusJsonPath: '$.status', successStatuses: 'DONE' } : {}),
    }),
    job: (refId, after, exitCode = 0, failure = {}) => ({
      refId,
      name: `Job ${refId}`,
      type: 'runJob',
      requisiteStageRefIds: after,
      command: `echo "$GENNAKER_IDEMPOTENCY_KEY" >> "$RUNS_FILE"; exit ${exitCode}`,
      env: { RUNS_FILE: targets.runsFile },
      ...failure,
    }),
    wait: (refId, after, seconds) => ({ refId, name: `Wait ${refId}`, type: 'wait', requisiteStageRefIds: after, waitTime: seconds }),
  };
}

interface Design {
  readonly name: string;
  stages(build: Builders): StageConfig[];
  readonly expected: Expected;
}

const all = (status: ExecutionStatus, refIds: string[]): Record<string, ExecutionStatus> => Object.fromEntries(refIds.map((refId) => [refId, status]));

/**
 * Four shapes, each with parallel branches and a join, webhooks, jobs and waits, and each with an
 * outcome that follows from its shape: a plain success, a job that halts the pipeline, a branch that
 * stops while the rest succeeds (plus an ignored failure), and a branch that lets the others finish
 * and then fails the pipeline.
 */
const designs: readonly Design[] = [
  {
    name: 'fan-out and join',
    stages: (b) => [b.vars(), b.webhook('2', ['1']), b.job('3', ['1']), b.wait('4', ['1'], 0.3), b.webhook('5', ['2', '3', '4'], true), b.job('6', ['5'])],
    expected: { status: 'SUCCEEDED', stages: all('SUCCEEDED', ['1', '2', '3', '4', '5', '6']), webhooks: ['2', '5'], jobs: ['3', '6'], failedJobs: {} },
  },
  {
    name: 'a job halts the pipeline',
    stages: (b) => [b.vars(), b.webhook('2', ['1']), b.wait('3', ['1'], 0.2), b.job('4', ['2', '3'], 1), b.webhook('5', ['4'])],
    expected: {
      status: 'TERMINAL',
      stages: { ...all('SUCCEEDED', ['1', '2', '3']), '4': 'TERMINAL', '5': 'NOT_STARTED' },
      webhooks: ['2'],
      jobs: ['4'],
      failedJobs: { '4': 1 },
    },
  },
  {
    name: 'a stopped branch and an ignored failure',
    stages: (b) => [
      b.vars(),
      b.job('2', ['1'], 3, { failPipeline: false }),
      b.webhook('3', ['2']),
      b.webhook('4', ['1']),
      b.wait('5', ['4'], 0.3),
      b.job('6', ['5']),
      b.job('7', ['1'], 4, { continuePipeline: true }),
      b.webhook('8', ['7']),
    ],
    expected: {
      status: 'SUCCEEDED',
      stages: { ...all('SUCCEEDED', ['1', '4', '5', '6', '8']), '2': 'STOPPED', '3': 'NOT_STARTED', '7': 'FAILED_CONTINUE' },
      webhooks: ['4', '8'],
      jobs: ['2', '6', '7'],
      failedJobs: { '2': 3, '7': 4 },
    },
  },
  {
    name: 'a branch fails the pipeline after the others complete',
    stages: (b) => [
      b.vars(),
      b.job('2', ['1'], 2, { failPipeline: false, completeOtherBranchesThenFail: true }),
      b.webhook('3', ['1'], true),
      b.wait('4', ['3'], 0.3),
      b.webhook('5', ['4']),
      b.webhook('6', ['2']),
    ],
    expected: {
      status: 'TERMINAL',
      stages: { ...all('SUCCEEDED', ['1', '3', '4', '5']), '2': 'STOPPED', '6': 'NOT_STARTED' },
      webhooks: ['3', '5'],
      jobs: ['2'],
      failedJobs: { '2': 2 },
    },
  },
];

/** `count` executions cycling through the designs, with ids `<prefix>-<n>`. */
export function plannedExecutions(count: number, prefix: string, targets: EffectTargets): PlannedExecution[] {
  return Array.from({ length: count }, (_, n) => {
    const design = designs[n % designs.length]!;
    const id = `${prefix}-${n}`;
    return {
      design: design.name,
      submission: { id, pipeline: { application: 'crash', name: design.name, stages: design.stages(builders(id, targets)) }, parameters: { n } },
      expected: design.expected,
    };
  });
}
