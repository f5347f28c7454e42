import type { Inventory } from '../../inventory/inventory.js';
import type { ApiApp } from '../server.js';

/** Read-only for now: what the inventory knows about every account and region. */
export function registerInventoryRoutes(app: ApiApp, inventory: Inventory): void {
  app.get('/api/inventory', { config: { access: { kind: 'admin' } }, schema: { tags: ['inventory'] } }, async () => ({
    serverGroups: inventory.serverGroups(),
    loadBalancers: inventory.loadBalancers(),
  }));
}
