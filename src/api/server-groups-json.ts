import { parseMoniker, type ResourceChange } from '../core/cloud/index.js';
import type { Inventory } from '../inventory/inventory.js';

/**
 * The JSON of each application's server groups, kept until a server group of that application changes.
 * It is the API's most frequent read (a UI's clusters view, automation polling a deploy), and encoding a
 * hundred server groups with their launch configuration costs far more than the lookup; between changes
 * every caller gets the same bytes.
 */
export class ServerGroupsJson {
  readonly #inventory: Inventory;
  readonly #encoded = new Map<string, string>();
  readonly #onChange = (change: ResourceChange): void => {
    const application = applicationChangedBy(change);
    if (application !== undefined) this.#encoded.delete(application);
  };

  constructor(inventory: Inventory) {
    this.#inventory = inventory;
    inventory.events.on('change', this.#onChange);
  }

  /** `{"serverGroups":[…]}` for the application, as the inventory holds them now. */
  of(application: string): string {
    let encoded = this.#encoded.get(application);
    if (encoded === undefined) {
      encoded = JSON.stringify({ serverGroups: this.#inventory.serverGroupsOf(application) });
      this.#encoded.set(application, encoded);
    }
    return encoded;
  }

  close(): void {
    this.#inventory.events.off('change', this.#onChange);
    this.#encoded.clear();
  }
}

function applicationChangedBy(change: ResourceChange): string | undefined {
  switch (change.kind) {
    case 'serverGroupUpserted':
      return change.serverGroup.application;
    case 'serverGroupRemoved':
      return parseMoniker(change.name)?.app;
    case 'loadBalancerUpserted':
    case 'loadBalancerRemoved':
      return undefined;
  }
}
