import type { StageTypeRegistry } from './stage-types/stage-type.js';
import { isExpression } from './value-or-expression.js';

/** A stage as the engine will run it: its type and its own fields (a saved stage's `context`, an ad-hoc step's). */
export interface StageFields {
  readonly type: string;
  readonly context: Readonly<Record<string, unknown>>;
}

function literalName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.trim();
  return name === '' || isExpression(name) ? undefined : name;
}

function recordAt(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The account every cloud stage acts in, under Spinnaker's two names (`credentials`, `account`), and
 * each `clusters[]` entry of a deploy stage.
 */
function cloudAccounts(context: Readonly<Record<string, unknown>>): string[] {
  const own = [literalName(context['credentials']), literalName(context['account'])];
  const clusters = Array.isArray(context['clusters']) ? context['clusters'] : [];
  const perCluster = clusters.flatMap((cluster: unknown) => {
    const entry = recordAt(cluster);
    return [literalName(entry['credentials']), literalName(entry['account'])];
  });
  return [...own, ...perCluster].filter((name): name is string => name !== undefined);
}

/**
 * Every account the stages name literally, sorted and without repeats: the cloud fields of every stage
 * and the account references its type declares. Accounts given by an expression are not known before
 * the stage runs; they are not here (see docs/api.md, "Executions").
 */
export function accountsNamed(stages: readonly StageFields[], stageTypes: StageTypeRegistry): string[] {
  const names = new Set<string>();
  for (const stage of stages) {
    for (const name of cloudAccounts(stage.context)) names.add(name);
    const definition = Object.hasOwn(stageTypes, stage.type) ? stageTypes[stage.type] : undefined;
    for (const reference of definition?.references?.(stage.context) ?? []) {
      if (reference.kind === 'account') names.add(reference.name);
    }
  }
  return [...names].sort();
}
