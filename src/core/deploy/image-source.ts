import type { ServerGroup } from '../cloud/model.js';
import { largestFirst, newestFirst } from './cluster-view.js';

/** Spinnaker's findImageFromCluster selection: which group's image to report when several qualify. */
export const imageSelectionStrategies = ['NEWEST', 'LARGEST', 'OLDEST', 'FAIL'] as const;
export type ImageSelectionStrategy = (typeof imageSelectionStrategies)[number];

export type ImageSource = { readonly kind: 'found'; readonly serverGroup: ServerGroup } | { readonly kind: 'missing'; readonly reason: string };

/** The group whose launch (artifact) a cluster runs in one region; `FAIL` refuses to choose between several. */
export function selectImageSource(
  groups: readonly ServerGroup[],
  options: { readonly onlyEnabled: boolean; readonly strategy: ImageSelectionStrategy },
  where: { readonly cluster: string; readonly region: string },
): ImageSource {
  const candidates = options.onlyEnabled ? groups.filter((group) => group.enabled) : [...groups];
  const place = `cluster ${where.cluster} in ${where.region}`;
  if (candidates.length === 0) {
    return { kind: 'missing', reason: `${place} has no ${options.onlyEnabled ? 'enabled ' : ''}server groups` };
  }
  switch (options.strategy) {
    case 'NEWEST':
      return { kind: 'found', serverGroup: newestFirst(candidates)[0]! };
    case 'OLDEST':
      return { kind: 'found', serverGroup: newestFirst(candidates).at(-1)! };
    case 'LARGEST':
      return { kind: 'found', serverGroup: largestFirst(candidates)[0]! };
    case 'FAIL': {
      const distinct = new Set(candidates.map((group) => `${group.launch.artifact.name}@${group.launch.artifact.version}`));
      if (distinct.size > 1) {
        return { kind: 'missing', reason: `${place} runs ${distinct.size} different artifacts (${[...distinct].sort().join(', ')}) and selectionStrategy is FAIL` };
      }
      return { kind: 'found', serverGroup: newestFirst(candidates)[0]! };
    }
  }
}
