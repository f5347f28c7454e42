import type { StageDefinition } from '../../engine/stage-contract.js';
import { defineStage } from '../../engine/stage-contract.js';
import { cloneServerGroupStage } from './clone-server-group.js';
import { disableClusterStage, scaleDownClusterStage, shrinkClusterStage } from './cluster-stages.js';
import { findImageFromClusterStage } from './find-image-from-cluster.js';
import {
  destroyServerGroupStage,
  disableServerGroupStage,
  enableServerGroupStage,
  resizeServerGroupStage,
} from './server-group-stages.js';
import { setTrafficWeightsStage } from './set-traffic-weights.js';

/** The server-group and cluster operation stages. */
export function cloudOperationStages(): StageDefinition[] {
  return [
    defineStage(enableServerGroupStage()),
    defineStage(disableServerGroupStage()),
    defineStage(destroyServerGroupStage()),
    defineStage(resizeServerGroupStage()),
    defineStage(cloneServerGroupStage()),
    defineStage(disableClusterStage()),
    defineStage(scaleDownClusterStage()),
    defineStage(shrinkClusterStage()),
    defineStage(findImageFromClusterStage()),
    defineStage(setTrafficWeightsStage()),
  ];
}
