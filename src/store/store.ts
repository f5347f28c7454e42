import type { Kysely } from 'kysely';
import { ApplicationRepository } from './applications.js';
import { AuditRepository } from './audit.js';
import { EffectClaimRepository } from './effect-claims.js';
import { ExecutionRepository } from './executions.js';
import { FreezeRepository } from './freezes.js';
import { InventoryRepository } from './inventory.js';
import { PipelineConfigRepository } from './pipeline-configs.js';
import { QuarantineRepository } from './quarantine.js';
import { QueueRepository } from './queue.js';
import type { Tables } from './tables.js';

export type StoreEngine = 'sqlite' | 'postgres';

/** The repositories, bound either to the store itself or to one open transaction. */
export interface Repositories {
  readonly applications: ApplicationRepository;
  readonly pipelineConfigs: PipelineConfigRepository;
  readonly executions: ExecutionRepository;
  readonly queue: QueueRepository;
  readonly freezes: FreezeRepository;
  readonly quarantine: QuarantineRepository;
  readonly effectClaims: EffectClaimRepository;
  readonly inventory: InventoryRepository;
}

export function bindRepositories(db: Kysely<Tables>, engine: StoreEngine, now: () => number): Repositories {
  return {
    applications: new ApplicationRepository(db, now),
    pipelineConfigs: new PipelineConfigRepository(db, now),
    executions: new ExecutionRepository(db, engine),
    queue: new QueueRepository(db, engine),
    freezes: new FreezeRepository(db),
    quarantine: new QuarantineRepository(db),
    effectClaims: new EffectClaimRepository(db),
    inventory: new InventoryRepository(db, now),
  };
}

/**
 * The storage layer: one interface whatever the engine. Everything above it speaks in repositories;
 * only the opening code knows whether a SQLite file or a PostgreSQL server is underneath.
 */
export interface Store extends Repositories {
  readonly engine: StoreEngine;
  /** Where the data is, fit for logs and the health endpoint (no password). */
  readonly location: string;
  /** The query builder, for repositories added by later modules. */
  readonly db: Kysely<Tables>;
  /** The audit trail; outside `Repositories` because each append is a transaction of its own. */
  readonly audit: AuditRepository;
  /** Runs `work` in one transaction: all of its writes land, or none do. */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Names of the applied migrations, in order. */
  appliedMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

export function createStore(
  engine: StoreEngine,
  location: string,
  db: Kysely<Tables>,
  now: () => number,
  appliedMigrations: () => Promise<string[]>,
): Store {
  return {
    engine,
    location,
    db,
    ...bindRepositories(db, engine, now),
    audit: new AuditRepository(db, engine),
    transaction: (work) => db.transaction().execute((trx) => work(bindRepositories(trx, engine, now))),
    appliedMigrations,
    close: () => db.destroy(),
  };
}
