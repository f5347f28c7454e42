import type { Principal } from '../../core/auth/model.js';
import { GennakerError } from '../../core/errors.js';
import { accountsNamed, type StageFields } from '../../core/pipeline/accounts-named.js';
import { builtInStageTypes } from '../../core/pipeline/stage-types/built-in.js';
import type { AccessControl } from '../access.js';

/**
 * The caller needs WRITE on every account the stages name literally. An account given by an expression
 * is only known when its stage runs, and nothing checks it then yet (see the note in
 * src/stages/cloud/operation-stage.ts and docs/api.md, "Executions"): such pipelines rely on EXECUTE alone.
 */
export function requireAccountWrite(access: AccessControl, principal: Principal, stages: readonly StageFields[]): void {
  for (const account of accountsNamed(stages, builtInStageTypes)) {
    if (!access.canAccount(principal, account, 'WRITE')) {
      throw new GennakerError('GNK_E_FORBIDDEN', `${principal.name} lacks WRITE on account ${account}, which a stage acts in`, [{ expected: `WRITE on account ${account}`, account }]);
    }
  }
}
