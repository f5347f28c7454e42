export {
  executionWindowOfStage,
  executionWindowSchema,
  parseExecutionWindow,
  type CalendarDay,
  type ExecutionWindow,
  type TimeRange,
  type WindowJitter,
} from './execution-window.js';
export {
  activeFreezesFor,
  describeFreeze,
  freezeDecision,
  freezeSchema,
  freezeScopeSchema,
  parseFreeze,
  type Freeze,
  type FreezeDecision,
  type FreezeScope,
  type FreezeTarget,
  type OnFreeze,
} from './freezes.js';
export { windowJitterMs } from './jitter.js';
export { nextWindowStart, type WindowCheck } from './next-window-start.js';
export { isKnownTimezone } from './zone.js';
export type { ParseLocation } from './validation-error.js';

/** The synthetic stage type that holds a stage until its execution window opens (Spinnaker's name). */
export const executionWindowStageType = 'restrictExecutionDuringTimeWindow';
