import { z } from 'zod';
import { freezeDecision, type Freeze } from '../core/time-rules/index.js';
import type { StageDefinition } from './stage-contract.js';

export const freezeGateStageType = 'waitForFreezeLift';

/** Longest sleep between checks: a freeze that ends by its own end time is noticed within this. */
const maxSleepMs = 60_000;

/** The accounts a stage acts on, from Spinnaker's field names (`account`, `credentials`, deploy `clusters[]`). */
export function accountsOf(context: Readonly<Record<string, unknown>>): string[] {
  const found = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string' && value !== '') found.add(value);
  };
  add(context['account']);
  add(context['credentials']);
  const clusters = context['clusters'];
  if (Array.isArray(clusters)) {
    for (const cluster of clusters) {
      if (typeof cluster === 'object' && cluster !== null) {
        add((cluster as Record<string, unknown>)['account']);
        add((cluster as Record<string, unknown>)['credentials']);
      }
    }
  }
  return [...found].sort();
}

const gateInput = z.looseObject({ application: z.string(), accounts: z.array(z.string()) });

/**
 * The synthetic before-stage of every stage that changes infrastructure: it passes when no freeze
 * covers the application or accounts, fails with GNK_E_FROZEN when a covering freeze says fail, and
 * otherwise waits — until the freezes' known end, or until an operator lifts one (`onWaiting` lets the
 * engine wake it then).
 */
export function freezeGateStage(
  unliftedFreezes: () => Promise<Freeze[]>,
  onWaiting: (executionId: string, stageId: string) => void,
): StageDefinition<z.output<typeof gateInput>> {
  return {
    type: freezeGateStageType,
    input: gateInput,
    plan: () => ({ tasks: [{ name: 'waitForFreezeLift', implementation: 'gate' }], beforeStages: [], afterStages: [] }),
    tasks: {
      gate: {
        run: async ({ input, now, stage }) => {
          const decision = freezeDecision(await unliftedFreezes(), { application: input.application, accounts: input.accounts }, now);
          switch (decision.kind) {
            case 'proceed':
              return { kind: 'succeeded' };
            case 'fail':
              return { kind: 'terminal', failure: { code: 'GNK_E_FROZEN', message: decision.message } };
            case 'wait': {
              onWaiting(stage.executionId, stage.id);
              const untilEnd = decision.untilMs === undefined ? maxSleepMs : Math.max(1, decision.untilMs - now);
              return { kind: 'running', backoffMs: Math.min(untilEnd, maxSleepMs), context: { frozenBy: decision.freezes.map((f) => f.id), freezeMessage: decision.message } };
            }
          }
        },
      },
    },
  };
}
