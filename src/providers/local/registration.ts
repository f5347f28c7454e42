import type { Config } from '../../config/schema.js';
import type { Logger } from '../../log/logger.js';
import type { ProviderRegistration } from '../registry.js';
import { LocalCloudProvider } from './local-cloud-provider.js';

/** The local cloud's accounts, as configured, all served by the one daemon at `url`. */
export function localCloudRegistration(localCloud: Config['localCloud'], url: string, logger: Logger): ProviderRegistration {
  return {
    name: 'local',
    provider: new LocalCloudProvider({ url, logger }),
    accounts: localCloud.accounts.map((account) => ({ name: account.name, provider: 'local', regions: account.regions })),
  };
}
