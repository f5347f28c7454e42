/**
 * The audit trail's hash chain. Each event is sealed with `hash = sha256(prevHash + canonical(event
 * without hash))`, where prevHash is the hash of the event before it (64 zeros for the first), so
 * changing, removing, adding or moving any event breaks a link that `verifyChain` finds. The hash
 * function is passed in: the core does no I/O and imports nothing from Node.
 */

/** Hex SHA-256 of a UTF-8 string. */
export type Sha256Hex = (text: string) => string;

export const genesisHash = '0'.repeat(64);

export interface AuditTarget {
  readonly type: string;
  readonly id: string;
}

export interface AuditEvent {
  /** 1, 2, 3 … with no gaps: the position in the chain. */
  readonly seq: number;
  /** Epoch milliseconds. */
  readonly time: number;
  readonly actor: string;
  readonly action: string;
  readonly target: AuditTarget;
  /** The application the event concerns, when it concerns one (for filtering and permissions). */
  readonly application: string | null;
  readonly summary: Readonly<Record<string, unknown>>;
  readonly executionId: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** What the appender decides before sealing: everything but the position and the hashes. */
export type AuditEventDraft = Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'>;

/** The chain's last event, which the next one links to. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/**
 * JSON with object keys sorted at every depth and nothing optional about spacing, so one value has
 * exactly one text. `undefined` members are left out as JSON.stringify leaves them out.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const members = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

export function hashOf(sha256: Sha256Hex, event: Omit<AuditEvent, 'hash'>): string {
  const { seq, time, actor, action, target, application, summary, executionId, prevHash } = event;
  return sha256(prevHash + canonicalJson({ seq, time, actor, action, target, application, summary, executionId, prevHash }));
}

/** The event that follows `head` (or starts the chain). */
export function seal(sha256: Sha256Hex, head: ChainHead | undefined, draft: AuditEventDraft): AuditEvent {
  const unsealed = { ...draft, seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? genesisHash };
  return { ...unsealed, hash: hashOf(sha256, unsealed) };
}

/**
 * - `edited`: the event's content no longer matches its own hash.
 * - `deleted`: an event is missing before this position (a gap in seq, or a link to an event that is gone).
 * - `inserted`: an event that was not in the chain sits here (its successor links past it).
 * - `reordered`: the event was sealed for another position and the event it links to comes after it.
 * - `relinked`: the event itself is intact but the event it follows is not the one it was sealed after
 *   (that one was replaced by a forgery with a recomputed hash).
 */
export type ChainProblem = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'relinked';

export type ChainVerdict =
  | { readonly kind: 'intact'; readonly count: number; readonly head: ChainHead | undefined }
  | { readonly kind: 'broken'; readonly seq: number; readonly problem: ChainProblem; readonly detail: string };

function broken(seq: number, problem: ChainProblem, detail: string): ChainVerdict {
  return { kind: 'broken', seq, problem, detail };
}

/**
 * Checks a whole trail, given in seq order as read from the store, and names the first bad position.
 * Where a check fails, the intact seals and links around it tell what was done: an event whose
 * content is authentic for another seq was moved, and the position of the event it was sealed after
 * says whether something was inserted before it, removed before it, or it was swapped with what follows.
 */
export function verifyChain(events: readonly AuditEvent[], sha256: Sha256Hex): ChainVerdict {
  const positionByHash = new Map<string, number>();
  events.forEach((event, position) => positionByHash.set(event.hash, position));
  const highestSeq = Math.max(events.length, events.at(-1)?.seq ?? 0);
  for (let position = 0; position < events.length; position++) {
    const event = events[position]!;
    const previous = position === 0 ? undefined : events[position - 1]!;
    const expectedSeq = (previous?.seq ?? 0) + 1;
    const linkedPosition = event.prevHash === genesisHash ? -1 : positionByHash.get(event.prevHash);
    if (hashOf(sha256, event) !== event.hash) {
      const sealedSeq = findSealedSeq(sha256, event, 2 * highestSeq + 1);
      if (sealedSeq === undefined) return broken(event.seq, 'edited', `event ${event.seq} does not match its hash: its content was changed`);
      if (linkedPosition === undefined) {
        return broken(event.seq, 'deleted', `the event sealed before event ${event.seq} is missing (it was sealed as event ${sealedSeq})`);
      }
      if (linkedPosition === position - 1) {
        return broken(event.seq, 'edited', `event ${event.seq} was sealed as event ${sealedSeq}: its seq was changed`);
      }
      return misplaced(event, position, linkedPosition, events);
    }
    if (event.seq > expectedSeq) {
      const after = previous ? `event ${previous.seq}` : 'the start';
      return broken(expectedSeq, 'deleted', `event ${expectedSeq} is missing: ${after} is followed by event ${event.seq}`);
    }
    if (event.seq < expectedSeq) return broken(event.seq, 'inserted', `event ${event.seq} appears twice`);
    if (linkedPosition === undefined) {
      return broken(previous!.seq, 'relinked', `event ${previous!.seq} is not the event that event ${event.seq} was sealed after: it was replaced`);
    }
    if (linkedPosition !== position - 1) return misplaced(event, position, linkedPosition, events);
  }
  const last = events.at(-1);
  return { kind: 'intact', count: events.length, head: last && { seq: last.seq, hash: last.hash } };
}

/** The seq the event's seal holds for, when its content is authentic but its seq was changed. */
function findSealedSeq(sha256: Sha256Hex, event: AuditEvent, highestSeq: number): number | undefined {
  for (let seq = 1; seq <= highestSeq; seq++) {
    if (seq !== event.seq && hashOf(sha256, { ...event, seq }) === event.hash) return seq;
  }
  return undefined;
}

/** An authentic event at the wrong place; `linkedPosition` is where the event it was sealed after is now (-1: the start). */
function misplaced(event: AuditEvent, position: number, linkedPosition: number, events: readonly AuditEvent[]): ChainVerdict {
  if (linkedPosition >= position) {
    return broken(event.seq, 'reordered', `event ${event.seq} was sealed after the event now at ${events[linkedPosition]!.seq}, which comes after it`);
  }
  const firstForeign = events[linkedPosition + 1]!;
  const sealedAfter = linkedPosition === -1 ? 'the start' : `event ${events[linkedPosition]!.seq}`;
  return broken(firstForeign.seq, 'inserted', `event ${firstForeign.seq} was not in the chain: event ${event.seq} was sealed right after ${sealedAfter}`);
}
