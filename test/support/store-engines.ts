import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/open.js';
import type { Store, StoreEngine } from '../../src/store/store.js';
import { startPostgres, type PostgresCluster } from './postgres.js';

/**
 * One storage engine as the integration suites see it. `freshLocation` gives an empty place to open
 * a store (a new data directory, or a new PostgreSQL database); `open` opens a store there.
 */
export interface EngineFixture {
  readonly engine: StoreEngine;
  freshLocation(): Promise<StoreLocation>;
  teardown(): Promise<void>;
}

export interface StoreLocation {
  readonly dataDir: string;
  readonly databaseUrl?: string;
}

export function openAt(location: StoreLocation, now?: () => number): Promise<Store> {
  return openStore({ ...location, now });
}

function sqliteFixture(): EngineFixture {
  const dirs: string[] = [];
  return {
    engine: 'sqlite',
    async freshLocation() {
      const dir = mkdtempSync(join(tmpdir(), 'gennaker-sqlite-'));
      dirs.push(dir);
      return { dataDir: dir };
    },
    async teardown() {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresFixture(): EngineFixture {
  let cluster: Promise<PostgresCluster> | undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'gennaker-pgdata-'));
  return {
    engine: 'postgres',
    async freshLocation() {
      cluster ??= startPostgres();
      return { dataDir: scratch, databaseUrl: await (await cluster).createDatabase() };
    },
    async teardown() {
      if (cluster) await (await cluster).stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Both engines; suites loop over these so every storage behaviour is proven on each. */
export function engineFixtures(): EngineFixture[] {
  return [sqliteFixture(), postgresFixture()];
}
