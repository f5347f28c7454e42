/**
 * What a consumer resuming after `since` is sent from a bounded history: the retained changes after it,
 * and whether some it has not seen were dropped (a gap: it must describe afresh). `lastIssued` is the
 * newest seq ever issued, retained or not; a `since` newer than that comes from another run of the
 * producer and is a gap too.
 */
export interface Replay<T> {
  readonly gap: boolean;
  readonly changes: readonly T[];
}

export function replayAfter<T extends { readonly seq: number }>(
  retained: readonly T[],
  since: number | undefined,
  lastIssued: number,
): Replay<T> {
  if (since === undefined) return { gap: false, changes: retained };
  if (since > lastIssued) return { gap: true, changes: retained };
  const oldest = retained[0]?.seq ?? lastIssued + 1;
  if (since + 1 < oldest) return { gap: true, changes: retained };
  return { gap: false, changes: retained.filter((change) => change.seq > since) };
}
