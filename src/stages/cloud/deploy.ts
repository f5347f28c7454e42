import type { SyntheticStageSpec } from '../../core/execution/index.js';
import { specCluster, specRegions } from '../../core/deploy/deploy-spec.js';
import { deployStageSchema, type DeployInput } from '../../core/pipeline/stage-types/deploy.js';
import type { StageDefinition } from '../../engine/stage-contract.js';

/** One createServerGroup per cluster entry and region, all in parallel; each carries its entry's fields for one region. */
export function deployChildren(input: DeployInput): SyntheticStageSpec[] {
  return input.clusters.flatMap((entry, index) =>
    specRegions(entry).map((region) => {
      const { availabilityZones, ...fields } = entry;
      const zones = availabilityZones?.[region];
      return {
        type: 'createServerGroup',
        name: `Deploy ${specCluster(entry)} in ${region}`,
        localRefId: `${index + 1}-${region}`,
        requisiteStageRefIds: [],
        context: { ...fields, region, ...(zones ? { availabilityZones: { [region]: zones } } : {}) },
      };
    }),
  );
}

/** `deploy`: Spinnaker's multi-cluster deploy; every createServerGroup it plans has its own strategy and rollback. */
export function deployStage(): StageDefinition<DeployInput> {
  return {
    type: 'deploy',
    input: deployStageSchema,
    changesInfrastructure: true,
    plan: ({ input }) => ({ tasks: [], beforeStages: deployChildren(input), afterStages: [] }),
    tasks: {},
  };
}
