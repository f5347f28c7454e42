import type { RegionSnapshot } from '../../core/cloud/index.js';
import type { CloudServices } from '../../engine/cloud-services.js';

/**
 * The longest one task run waits on inventory changes before handing back to the engine, so progress is
 * recorded and a restarted engine resumes the wait instead of losing it.
 */
export const waitSliceMs = 30_000;
/** How soon the engine runs a waiting task again: at once, since it waits on events, not on a clock. */
export const rewaitBackoffMs = 10;

/** Waits until `check` holds for the region, at most `remainingMs` (and one slice); true when it holds. */
export async function awaitRegion(
  cloud: CloudServices,
  where: { readonly account: string; readonly region: string },
  check: (snapshot: RegionSnapshot) => boolean,
  remainingMs: number,
  signal: AbortSignal,
): Promise<boolean> {
  const timeoutMs = Math.max(0, Math.min(waitSliceMs, remainingMs));
  const held = await cloud.waitFor(where.account, where.region, (snapshot) => (check(snapshot) ? true : undefined), { timeoutMs, signal });
  return held === true;
}

/** The region as the inventory has it now (waitFor answers at once when its check returns a value). */
export async function regionSnapshot(cloud: CloudServices, where: { readonly account: string; readonly region: string }, signal: AbortSignal): Promise<RegionSnapshot> {
  const snapshot = await cloud.waitFor(where.account, where.region, (current) => current, { timeoutMs: 0, signal });
  return snapshot ?? { account: where.account, region: where.region, serverGroups: [], loadBalancers: [] };
}
