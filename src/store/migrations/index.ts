import type { Migration } from 'kysely';
import * as m0001 from './0001-applications.js';
import * as m0002 from './0002-executions.js';
import * as m0003 from './0003-freezes.js';
import * as m0004 from './0004-inventory.js';
import * as m0005 from './0005-quarantine.js';
import * as m0006 from './0006-effect-claims.js';
import * as m0007 from './0007-auth.js';
import * as m0008 from './0008-audit.js';
import * as m0009 from './0009-pipeline-revisions.js';
import { roomForUpdates } from './0010-room-for-updates.js';
import type { StoreEngine } from '../store.js';

/**
 * Every schema version in order, as applied to a store on `engine` (a few tune what only one engine
 * has). Names sort lexically in apply order and are the same on every engine; a released migration
 * is never edited, only followed by a new one.
 */
export function migrationsFor(engine: StoreEngine): Readonly<Record<string, Migration>> {
  return {
    '0001-applications': m0001,
    '0002-executions': m0002,
    '0003-freezes': m0003,
    '0004-inventory': m0004,
    '0005-quarantine': m0005,
    '0006-effect-claims': m0006,
    '0007-auth': m0007,
    '0008-audit': m0008,
    '0009-pipeline-revisions': m0009,
    '0010-room-for-updates': roomForUpdates(engine),
  };
}
