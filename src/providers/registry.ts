import type { Account } from '../core/cloud/index.js';
import { GennakerError } from '../core/errors.js';
import type { CloudProvider } from './provider.js';

/** One provider instance and the accounts it serves; `name` identifies its change stream. */
export interface ProviderRegistration {
  readonly name: string;
  readonly provider: CloudProvider;
  readonly accounts: readonly Account[];
}

/** Which provider serves which account. Accounts come from configuration; a name may appear only once. */
export class ProviderRegistry {
  private readonly byAccount = new Map<string, ProviderRegistration>();

  constructor(readonly registrations: readonly ProviderRegistration[]) {
    for (const registration of registrations) {
      for (const account of registration.accounts) {
        const existing = this.byAccount.get(account.name);
        if (existing) {
          throw new GennakerError('GNK_E_CONFIG_INVALID', `account '${account.name}' is configured for both ${existing.name} and ${registration.name}`, [
            { path: 'accounts', expected: 'each account name once' },
          ]);
        }
        this.byAccount.set(account.name, registration);
      }
    }
  }

  accounts(): Account[] {
    return this.registrations.flatMap((registration) => registration.accounts);
  }

  /** The provider serving `account`; a clear error naming the accounts there are otherwise. */
  forAccount(account: string): CloudProvider {
    const registration = this.byAccount.get(account);
    if (!registration) {
      const known = [...this.byAccount.keys()].sort().join(', ') || '(none)';
      throw new GennakerError('GNK_E_NOT_FOUND', `no account '${account}' is configured (accounts: ${known})`, [
        { path: 'account', expected: `one of ${known}` },
      ]);
    }
    return registration.provider;
  }

  async close(): Promise<void> {
    await Promise.all(this.registrations.map((registration) => registration.provider.close()));
  }
}
