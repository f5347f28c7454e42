import type { OnFailure } from './model.js';
import { unreachable, type ExecutionStatus } from './status.js';

/** The status a failed stage takes, from its "if stage fails" option (Spinnaker's failureStatus()). */
export function failureStatus(onFailure: OnFailure): ExecutionStatus {
  switch (onFailure) {
    case 'haltPipeline':
      return 'TERMINAL';
    case 'haltBranch':
    case 'haltBranchThenFail':
      return 'STOPPED';
    case 'ignore':
      return 'FAILED_CONTINUE';
    default:
      return unreachable(onFailure);
  }
}
