import { z } from 'zod';
import type { StageDefinition } from '../engine/stage-contract.js';
import { tasksInOrder } from './shared/task-plan.js';

/** Does nothing and succeeds; a placeholder in pipelines, and the unit of work of tests and benchmarks. */
export function noopStage(): StageDefinition<Record<string, unknown>> {
  return {
    type: 'noop',
    input: z.looseObject({}),
    plan: () => tasksInOrder('noop'),
    tasks: {
      noop: { run: async () => ({ kind: 'succeeded' }) },
    },
  };
}
