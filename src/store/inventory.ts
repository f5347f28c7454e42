import type { Kysely } from 'kysely';
import {
  loadBalancerSchema,
  serverGroupSchema,
  type LoadBalancer,
  type ResourceChange,
  type ServerGroup,
} from '../core/cloud/index.js';
import type { Tables } from './tables.js';

export interface StoredInventory {
  readonly serverGroups: readonly ServerGroup[];
  readonly loadBalancers: readonly LoadBalancer[];
  /** The last change applied, per provider stream. */
  readonly cursors: ReadonlyMap<string, number>;
  /** Rows that no longer parse (written by another version); the next reconcile replaces them. */
  readonly unreadable: number;
}

export interface StreamCursor {
  readonly provider: string;
  readonly seq: number;
}

/** The inventory's last known state of every account and region, resources stored whole. */
export class InventoryRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly now: () => number,
  ) {}

  /** Applies changes in order, and moves the stream cursor when given. Run it in a transaction to land all or none. */
  async save(changes: readonly ResourceChange[], cursor?: StreamCursor): Promise<void> {
    for (const change of changes) {
      switch (change.kind) {
        case 'serverGroupUpserted':
          await this.upsert('serverGroup', change.serverGroup);
          break;
        case 'loadBalancerUpserted':
          await this.upsert('loadBalancer', change.loadBalancer);
          break;
        case 'serverGroupRemoved':
          await this.remove('serverGroup', change);
          break;
        case 'loadBalancerRemoved':
          await this.remove('loadBalancer', change);
          break;
      }
    }
    if (cursor) {
      await this.db
        .insertInto('inventory_cursors')
        .values({ provider: cursor.provider, seq: cursor.seq })
        .onConflict((conflict) => conflict.column('provider').doUpdateSet({ seq: cursor.seq }))
        .execute();
    }
  }

  async load(): Promise<StoredInventory> {
    const rows = await this.db.selectFrom('inventory_resources').select(['kind', 'body']).orderBy('account').orderBy('region').orderBy('name').execute();
    const serverGroups: ServerGroup[] = [];
    const loadBalancers: LoadBalancer[] = [];
    let unreadable = 0;
    for (const row of rows) {
      const parsed =
        row.kind === 'serverGroup' ? serverGroupSchema.safeParse(JSON.parse(row.body)) : loadBalancerSchema.safeParse(JSON.parse(row.body));
      if (!parsed.success) unreadable += 1;
      else if (row.kind === 'serverGroup') serverGroups.push(parsed.data as ServerGroup);
      else loadBalancers.push(parsed.data as LoadBalancer);
    }
    const cursorRows = await this.db.selectFrom('inventory_cursors').selectAll().execute();
    return {
      serverGroups,
      loadBalancers,
      cursors: new Map(cursorRows.map((row) => [row.provider, Number(row.seq)])),
      unreadable,
    };
  }

  private async upsert(kind: 'serverGroup' | 'loadBalancer', resource: ServerGroup | LoadBalancer): Promise<void> {
    const body = JSON.stringify(resource);
    const at = this.now();
    await this.db
      .insertInto('inventory_resources')
      .values({ kind, account: resource.account, region: resource.region, name: resource.name, body, updated_at: at })
      .onConflict((conflict) => conflict.columns(['kind', 'account', 'region', 'name']).doUpdateSet({ body, updated_at: at }))
      .execute();
  }

  private async remove(kind: 'serverGroup' | 'loadBalancer', where: { account: string; region: string; name: string }): Promise<void> {
    await this.db
      .deleteFrom('inventory_resources')
      .where('kind', '=', kind)
      .where('account', '=', where.account)
      .where('region', '=', where.region)
      .where('name', '=', where.name)
      .execute();
  }
}
