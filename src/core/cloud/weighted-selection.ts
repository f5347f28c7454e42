/**
 * Smooth weighted round-robin (the nginx variant): every pick adds each candidate's weight to its running
 * score, takes the highest score and subtracts the total from it. Over any window of `total` picks each
 * candidate is chosen exactly `weight` times, interleaved rather than in bursts, so a 90/10 split is 90/10
 * after 10 requests, not only on average.
 */
export interface WeightedCandidate {
  readonly key: string;
  readonly weight: number;
}

export interface WeightedPick {
  readonly key: string;
  /** The running scores to pass to the next pick. */
  readonly scores: ReadonlyMap<string, number>;
}

/** `undefined` when no candidate has a positive weight. Candidates missing from `scores` start at 0. */
export function smoothWeightedPick(
  candidates: readonly WeightedCandidate[],
  scores: ReadonlyMap<string, number>,
): WeightedPick | undefined {
  let total = 0;
  let best: string | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  const next = new Map<string, number>();
  for (const { key, weight } of candidates) {
    if (weight <= 0) continue;
    total += weight;
    const score = (scores.get(key) ?? 0) + weight;
    next.set(key, score);
    if (score > bestScore) {
      bestScore = score;
      best = key;
    }
  }
  if (best === undefined) return undefined;
  next.set(best, bestScore - total);
  return { key: best, scores: next };
}

export interface WeightedGroup {
  readonly weight: number;
  readonly members: readonly string[];
}

/**
 * Spreads each group's weight evenly over its members as integers in 1..`maxWeight` (0 for a group of
 * weight 0), scaled so the heaviest member gets `maxWeight`: what a balancer that weighs servers, not
 * groups (HAProxy, 0–256), needs to split traffic between groups by weight.
 */
export function memberWeights(groups: readonly WeightedGroup[], maxWeight: number): Map<string, number> {
  const perMember = groups.map((group) => (group.members.length === 0 ? 0 : group.weight / group.members.length));
  const heaviest = Math.max(0, ...perMember);
  const weights = new Map<string, number>();
  groups.forEach((group, index) => {
    const share = perMember[index]!;
    const weight = share <= 0 ? 0 : Math.max(1, Math.round((share / heaviest) * maxWeight));
    for (const member of group.members) weights.set(member, weight);
  });
  return weights;
}
