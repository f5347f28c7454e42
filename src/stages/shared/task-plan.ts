import type { StagePlan, TaskSpec } from '../../core/execution/index.js';

/**
 * The plan of a stage that only runs its own tasks, one after another. A task given by name alone runs the
 * implementation of that name.
 */
export function tasksInOrder(...tasks: readonly (string | TaskSpec)[]): StagePlan {
  return {
    tasks: tasks.map((task) => (typeof task === 'string' ? { name: task, implementation: task } : task)),
    beforeStages: [],
    afterStages: [],
  };
}
