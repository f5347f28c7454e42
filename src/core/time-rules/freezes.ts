import { z } from 'zod';
import { GennakerError } from '../errors.js';
import { problemsOf, validationError, type ParseLocation } from './validation-error.js';

export type FreezeScope =
  | { readonly kind: 'global' }
  | { readonly kind: 'application'; readonly application: string }
  | { readonly kind: 'account'; readonly account: string };

/** What a blocked stage does: wait until the freeze lifts, or fail at once. */
export type OnFreeze = 'wait' | 'fail';

/** An operator's ban on changing infrastructure, for one application, one account or everything. */
export interface Freeze {
  readonly id: string;
  readonly scope: FreezeScope;
  readonly reason: string;
  readonly createdBy: string;
  readonly startsAtMs: number;
  /** Absent: the freeze lasts until someone lifts it. */
  readonly endsAtMs?: number;
  /** Absent means 'wait'. */
  readonly onFreeze?: OnFreeze;
}

/** What an infrastructure-changing stage touches. */
export interface FreezeTarget {
  readonly application: string;
  readonly accounts: readonly string[];
}

export type FreezeDecision =
  | { readonly kind: 'proceed' }
  | {
      readonly kind: 'wait';
      /** When no freeze known now blocks any more; absent while one of them is open-ended. */
      readonly untilMs?: number;
      readonly freezes: readonly Freeze[];
      readonly message: string;
    }
  | { readonly kind: 'fail'; readonly freezes: readonly Freeze[]; readonly message: string };

const name = (what: string) => z.string({ error: `expected ${what}` }).trim().min(1, { error: `expected ${what}` });
const epochMs = z
  .number({ error: 'expected epoch milliseconds' })
  .int({ error: 'expected epoch milliseconds' })
  .min(0, { error: 'expected epoch milliseconds' });

export const freezeScopeSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('global') }),
    z.strictObject({ kind: z.literal('application'), application: name('an application name') }),
    z.strictObject({ kind: z.literal('account'), account: name('an account name') }),
  ],
  { error: "expected a scope of kind 'global', 'application' or 'account'" },
);

export const freezeSchema = z
  .strictObject({
    id: name('a freeze id'),
    scope: freezeScopeSchema,
    reason: name('a reason people will read'),
    createdBy: name('who created the freeze'),
    startsAtMs: epochMs,
    endsAtMs: epochMs.optional(),
    onFreeze: z.enum(['wait', 'fail'], { error: "expected 'wait' or 'fail'" }).optional(),
  })
  .refine((freeze) => freeze.endsAtMs === undefined || freeze.endsAtMs > freeze.startsAtMs, {
    error: 'expected endsAtMs after startsAtMs',
    path: ['endsAtMs'],
  });

/** Parses a freeze from an API body or the store. Throws GNK_E_VALIDATION naming every bad field. */
export function parseFreeze(input: unknown, at: ParseLocation = {}): Freeze {
  const parsed = freezeSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw validationError('freeze', problemsOf(parsed.error.issues), at);
}

/** Application names compare without case, as Spinnaker lowercases them; account names are exact. */
function appliesTo(scope: FreezeScope, target: FreezeTarget): boolean {
  switch (scope.kind) {
    case 'global':
      return true;
    case 'application':
      return scope.application.toLowerCase() === target.application.toLowerCase();
    case 'account':
      return target.accounts.includes(scope.account);
    default: {
      const unhandled: never = scope;
      throw new GennakerError('GNK_E_INTERNAL', `unhandled freeze scope ${JSON.stringify(unhandled)}`);
    }
  }
}

function isActiveAt(freeze: Freeze, atMs: number): boolean {
  return freeze.startsAtMs <= atMs && (freeze.endsAtMs === undefined || atMs < freeze.endsAtMs);
}

function byStartThenId(a: Freeze, b: Freeze): number {
  return a.startsAtMs - b.startsAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The freezes that block an infrastructure-changing stage touching `target` at `nowMs`, oldest first. */
export function activeFreezesFor(freezes: readonly Freeze[], target: FreezeTarget, nowMs: number): Freeze[] {
  return freezes.filter((freeze) => appliesTo(freeze.scope, target) && isActiveAt(freeze, nowMs)).sort(byStartThenId);
}

/**
 * The first instant from `nowMs` on at which none of the applicable freezes is active, following
 * freezes that are already scheduled to take over as others end; undefined if an open-ended one is
 * reached first.
 */
function liftedAtMs(applicable: readonly Freeze[], nowMs: number): number | undefined {
  let atMs = nowMs;
  for (;;) {
    const active = applicable.filter((freeze) => isActiveAt(freeze, atMs));
    if (active.length === 0) return atMs;
    const ends = active.map((freeze) => freeze.endsAtMs);
    if (ends.some((end) => end === undefined)) return undefined;
    atMs = Math.max(...(ends as number[]));
  }
}

function describeScope(scope: FreezeScope): string {
  switch (scope.kind) {
    case 'global':
      return 'everything';
    case 'application':
      return `application ${scope.application}`;
    case 'account':
      return `account ${scope.account}`;
    default: {
      const unhandled: never = scope;
      throw new GennakerError('GNK_E_INTERNAL', `unhandled freeze scope ${JSON.stringify(unhandled)}`);
    }
  }
}

/** One line for people: scope, who, until when, why. */
export function describeFreeze(freeze: Freeze): string {
  const until = freeze.endsAtMs === undefined ? 'until lifted' : `until ${new Date(freeze.endsAtMs).toISOString()}`;
  return `${describeScope(freeze.scope)} frozen by ${freeze.createdBy} ${until} (freeze ${freeze.id}): ${freeze.reason}`;
}

/**
 * What an infrastructure-changing stage should do now. Any blocking freeze that says 'fail' fails the
 * stage; otherwise it waits, and `untilMs` says when the freezes known now will all have ended.
 */
export function freezeDecision(freezes: readonly Freeze[], target: FreezeTarget, nowMs: number): FreezeDecision {
  const blocking = activeFreezesFor(freezes, target, nowMs);
  if (blocking.length === 0) return { kind: 'proceed' };
  const described = blocking.map(describeFreeze).join('; ');
  if (blocking.some((freeze) => freeze.onFreeze === 'fail')) {
    return { kind: 'fail', freezes: blocking, message: `infrastructure changes are frozen: ${described}` };
  }
  const untilMs = liftedAtMs(
    freezes.filter((freeze) => appliesTo(freeze.scope, target)),
    nowMs,
  );
  const message = `waiting for a freeze to lift: ${described}`;
  return untilMs === undefined
    ? { kind: 'wait', freezes: blocking, message }
    : { kind: 'wait', untilMs, freezes: blocking, message };
}
