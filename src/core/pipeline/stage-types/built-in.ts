import { checkPreconditionsStageType } from './check-preconditions.js';
import { createServerGroupStageType } from './create-server-group.js';
import { deployStageType } from './deploy.js';
import { evaluateVariablesStageType } from './evaluate-variables.js';
import { manualJudgmentStageType } from './manual-judgment.js';
import { pipelineStageType } from './pipeline-stage.js';
import { rollbackClusterStageType } from './rollback-cluster.js';
import { runJobStageType } from './run-job.js';
import type { StageTypeRegistry } from './stage-type.js';
import { waitStageType } from './wait.js';
import { webhookStageType } from './webhook.js';

/** The stage types this module knows; deploy and canary stages are added by their own modules. */
export const builtInStageTypes: StageTypeRegistry = {
  wait: waitStageType,
  manualJudgment: manualJudgmentStageType,
  checkPreconditions: checkPreconditionsStageType,
  evaluateVariables: evaluateVariablesStageType,
  webhook: webhookStageType,
  pipeline: pipelineStageType,
  runJob: runJobStageType,
  deploy: deployStageType,
  createServerGroup: createServerGroupStageType,
  rollbackCluster: rollbackClusterStageType,
};
