import type { FastifyInstance } from 'fastify';
import type { Inventory } from '../../inventory/inventory.js';

/** Read-only for now: what the inventory knows about every account and region. */
export function registerInventoryRoutes(app: FastifyInstance, inventory: Inventory): void {
  app.get('/api/inventory', async () => ({
    serverGroups: inventory.serverGroups(),
    loadBalancers: inventory.loadBalancers(),
  }));
}
