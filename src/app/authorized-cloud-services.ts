import type { AuthSettings } from '../api/auth/settings.js';
import { mayAccount, principalFor } from '../core/auth/permissions.js';
import { GennakerError } from '../core/errors.js';
import type { CloudServices } from '../engine/cloud-services.js';
import type { Store } from '../store/store.js';

/**
 * The cloud with WRITE on each operation's account checked when the operation is about to run, against
 * the user (or service account) who triggered the execution. The API checks the accounts a pipeline
 * names literally before it starts a run; this is the check that cannot be skipped: it also covers
 * accounts chosen by expressions, child pipelines and stages restarted later, after a grant was taken
 * away. Stages build client tokens from their idempotency key, which starts with the execution id.
 */
export function authorizedCloudServices(cloud: CloudServices, store: Store, settings: AuthSettings): CloudServices {
  const accountPermissions = new Map(settings.accounts.map((account) => [account.name, account.permissions]));
  return {
    ...cloud,
    execute: async (clientToken, operation) => {
      const executionId = clientToken.split('/')[0] ?? clientToken;
      const user = (await store.executions.load(executionId))?.execution.trigger.user;
      const stored = user === undefined ? undefined : await store.users.get(user);
      const principal = stored && principalFor(stored, settings.adminRole, 'trigger');
      if (!principal || !mayAccount(principal, accountPermissions.get(operation.account), 'WRITE')) {
        throw new GennakerError(
          'GNK_E_FORBIDDEN',
          `${user ?? 'the execution\'s trigger'} lacks WRITE on account ${operation.account}, needed to ${operation.type}`,
          [{ path: 'account', expected: `WRITE on account ${operation.account}` }],
        );
      }
      return cloud.execute(clientToken, operation);
    },
  };
}
