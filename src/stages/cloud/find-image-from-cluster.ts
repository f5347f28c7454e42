import { selectImageSource } from '../../core/deploy/image-source.js';
import { accountOf, clusterOf, regionsOf } from '../../core/pipeline/stage-types/cloud-fields.js';
import {
  findImageFromClusterStageSchema,
  type FindImageFromClusterInput,
} from '../../core/pipeline/stage-types/find-image-from-cluster.js';
import type { StageDefinition } from '../../engine/stage-contract.js';
import { tasksInOrder } from '../shared/task-plan.js';
import { knownAccount } from './targets.js';

/**
 * `findImageFromCluster`: what a cluster runs, per region. Outputs `deploymentDetails` (one entry per
 * region, Spinnaker's name) and, for the first region, `artifact` and `launch` directly, so a later stage
 * can write `${#stage('Find').outputs.artifact.version}`.
 */
export function findImageFromClusterStage(): StageDefinition<FindImageFromClusterInput> {
  return {
    type: 'findImageFromCluster',
    input: findImageFromClusterStageSchema,
    plan: () => tasksInOrder('findImage'),
    tasks: {
      findImage: {
        run: async ({ input, services }) => {
          const account = accountOf(input);
          const unknown = knownAccount(services.cloud, account);
          if (unknown) return { kind: 'terminal', failure: { code: 'GNK_E_NOT_FOUND', message: `findImageFromCluster: ${unknown}` } };
          const cluster = clusterOf(input) ?? '';
          const details = [];
          for (const region of regionsOf(input)) {
            const found = selectImageSource(services.cloud.cluster(account, region, cluster), { onlyEnabled: input.onlyEnabled, strategy: input.selectionStrategy }, { cluster, region: `${account}/${region}` });
            if (found.kind === 'missing') return { kind: 'terminal', failure: { code: 'GNK_E_NOT_FOUND', message: `findImageFromCluster: ${found.reason}` } };
            const { launch, name } = found.serverGroup;
            details.push({
              region,
              serverGroupName: name,
              imageName: `${launch.artifact.name}-${launch.artifact.version}`,
              imageId: launch.artifact.location,
              artifact: launch.artifact,
              launch,
            });
          }
          const first = details[0]!;
          return { kind: 'succeeded', outputs: { deploymentDetails: details, artifact: first.artifact, launch: first.launch, serverGroupName: first.serverGroupName } };
        },
      },
    },
  };
}
