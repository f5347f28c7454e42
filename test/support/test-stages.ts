import { z } from 'zod';
import { defineStage, type StageDefinition } from '../../src/engine/stage-contract.js';

const oneTask = (name: string) => () => ({ tasks: [{ name, implementation: name }], beforeStages: [], afterStages: [] });

/** Stage types for engine tests: small, deterministic, each exercising one part of the contract. */
export const testStages: StageDefinition<unknown>[] = [
  defineStage({
    type: 'noop',
    input: z.looseObject({}),
    plan: oneTask('noop'),
    tasks: { noop: { run: async () => ({ kind: 'succeeded' }) } },
  }),
  defineStage({
    // Publishes its `value` field (after expression evaluation) as an output.
    type: 'emit',
    input: z.looseObject({ value: z.unknown() }),
    plan: oneTask('emit'),
    tasks: { emit: { run: async ({ input }) => ({ kind: 'succeeded', outputs: { value: (input as { value: unknown }).value } }) } },
  }),
  defineStage({
    // Needs `polls` runs, `intervalMs` apart, before it succeeds.
    type: 'poll',
    input: z.looseObject({ polls: z.number().int().min(1), intervalMs: z.number().int().min(0) }),
    plan: oneTask('poll'),
    tasks: {
      poll: {
        run: async ({ stage, input }) => {
          const { polls, intervalMs } = input as { polls: number; intervalMs: number };
          const done = Number(stage.context['done'] ?? 0) + 1;
          return done >= polls ? { kind: 'succeeded', context: { done } } : { kind: 'running', backoffMs: intervalMs, context: { done } };
        },
      },
    },
  }),
  defineStage({
    // Stands in for a deploy: it changes infrastructure, so freezes apply to it.
    type: 'deployish',
    changesInfrastructure: true,
    input: z.looseObject({ account: z.string() }),
    plan: oneTask('deploy'),
    tasks: { deploy: { run: async () => ({ kind: 'succeeded', outputs: { deployed: true } }) } },
  }),
  defineStage({
    type: 'fail',
    input: z.looseObject({ reason: z.string().default('told to fail') }),
    plan: oneTask('fail'),
    tasks: { fail: { run: async ({ input }) => ({ kind: 'terminal', failure: { code: 'GNK_E_TASK_FAILED', message: (input as { reason: string }).reason } }) } },
  }),
  defineStage({
    // Waits (a long backoff) until an operator answers; the answer wakes it at once.
    type: 'answer',
    input: z.looseObject({}),
    plan: oneTask('answer'),
    tasks: {
      answer: {
        run: async ({ stage }) =>
          stage.context['answer'] === undefined
            ? { kind: 'running', backoffMs: 3_600_000 }
            : { kind: 'succeeded', outputs: { answer: stage.context['answer'] } },
      },
    },
  }),
  defineStage({
    // Starts a saved pipeline as a child and waits for it (woken when the child completes).
    type: 'child',
    input: z.looseObject({ pipeline: z.string(), application: z.string() }),
    plan: () => ({
      tasks: [
        { name: 'start', implementation: 'start' },
        { name: 'monitor', implementation: 'monitor' },
      ],
      beforeStages: [],
      afterStages: [],
    }),
    tasks: {
      start: {
        run: async ({ input, execution, stage, services, idempotencyKey }) => {
          const { pipeline, application } = input as { pipeline: string; application: string };
          const child = await services.startChildPipeline({
            application,
            pipelineId: pipeline,
            parameters: {},
            parentExecutionId: execution.id,
            parentStageId: stage.id,
            user: 'test',
            idempotencyKey,
          });
          return { kind: 'succeeded', context: { childId: child.executionId } };
        },
      },
      monitor: {
        run: async ({ stage, services }) => {
          const child = await services.executionStatus(String(stage.context['childId']));
          if (!child) return { kind: 'terminal', failure: { code: 'GNK_E_NOT_FOUND', message: 'child vanished' } };
          if (child.status === 'SUCCEEDED') return { kind: 'succeeded', outputs: { child: child.outputs } };
          if (['TERMINAL', 'CANCELED', 'STOPPED'].includes(child.status)) {
            return { kind: 'terminal', failure: { code: 'GNK_E_TASK_FAILED', message: `child ${child.status}` } };
          }
          return { kind: 'running', backoffMs: 3_600_000 };
        },
      },
    },
    cancel: async ({ stage, services }) => {
      if (stage.context['childId'] !== undefined) await services.cancelExecution(String(stage.context['childId']), 'parent', 'parent canceled');
    },
  }),
];
