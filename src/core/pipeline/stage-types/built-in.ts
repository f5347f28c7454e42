import { cloneServerGroupStageType } from './clone-server-group.js';
import { destroyServerGroupStageType } from './destroy-server-group.js';
import { disableClusterStageType } from './disable-cluster.js';
import { disableServerGroupStageType } from './disable-server-group.js';
import { enableServerGroupStageType } from './enable-server-group.js';
import { findImageFromClusterStageType } from './find-image-from-cluster.js';
import { resizeServerGroupStageType } from './resize-server-group.js';
import { scaleDownClusterStageType } from './scale-down-cluster.js';
import { setTrafficWeightsStageType } from './set-traffic-weights.js';
import { shrinkClusterStageType } from './shrink-cluster.js';
import { checkPreconditionsStageType } from './check-preconditions.js';
import { evaluateVariablesStageType } from './evaluate-variables.js';
import { manualJudgmentStageType } from './manual-judgment.js';
import { pipelineStageType } from './pipeline-stage.js';
import { runJobStageType } from './run-job.js';
import type { StageTypeRegistry } from './stage-type.js';
import { waitStageType } from './wait.js';
import { webhookStageType } from './webhook.js';

/** The stage types this module knows, the server-group and cluster operations among them. */
export const builtInStageTypes: StageTypeRegistry = {
  wait: waitStageType,
  manualJudgment: manualJudgmentStageType,
  checkPreconditions: checkPreconditionsStageType,
  evaluateVariables: evaluateVariablesStageType,
  webhook: webhookStageType,
  pipeline: pipelineStageType,
  runJob: runJobStageType,
  enableServerGroup: enableServerGroupStageType,
  disableServerGroup: disableServerGroupStageType,
  destroyServerGroup: destroyServerGroupStageType,
  resizeServerGroup: resizeServerGroupStageType,
  cloneServerGroup: cloneServerGroupStageType,
  disableCluster: disableClusterStageType,
  scaleDownCluster: scaleDownClusterStageType,
  shrinkCluster: shrinkClusterStageType,
  findImageFromCluster: findImageFromClusterStageType,
  setTrafficWeights: setTrafficWeightsStageType,
};
