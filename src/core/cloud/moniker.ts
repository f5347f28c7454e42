/**
 * Frigga's naming rules: a server group is `app[-stack[-detail]]-vNNN`, its cluster the same name without
 * the version. `app` and `stack` use letters, digits, `.` and `_`; `detail` may also contain hyphens.
 */
export interface Moniker {
  readonly app: string;
  readonly stack?: string;
  readonly detail?: string;
  readonly cluster: string;
  /** 0–999; absent for names without a `-vNNN` push. */
  readonly sequence?: number;
}

const namePart = /^[a-zA-Z0-9._]+$/;
const detailPart = /^[a-zA-Z0-9._-]+$/;
const pushSuffix = /^(.*)-v(\d{3})$/;
export const sequenceModulus = 1000;

export function isValidAppName(app: string): boolean {
  return namePart.test(app);
}

/** Splits a server-group or cluster name; `undefined` when the application part is not a valid name. */
export function parseMoniker(name: string): Moniker | undefined {
  const push = pushSuffix.exec(name);
  const cluster = push ? push[1]! : name;
  const [app = '', stack = '', ...detailParts] = cluster.split('-');
  const detail = detailParts.join('-');
  if (!namePart.test(app)) return undefined;
  if (stack !== '' && !namePart.test(stack)) return undefined;
  if (detail !== '' && !detailPart.test(detail)) return undefined;
  return {
    app,
    ...(stack === '' ? {} : { stack }),
    ...(detail === '' ? {} : { detail }),
    cluster,
    ...(push ? { sequence: Number(push[2]) } : {}),
  };
}

/** `app`, `app-stack`, `app-stack-detail` or `app--detail` (empty stack, as Frigga writes it). */
export function clusterName(app: string, stack?: string, detail?: string): string {
  if (detail) return `${app}-${stack ?? ''}-${detail}`;
  if (stack) return `${app}-${stack}`;
  return app;
}

export function serverGroupName(cluster: string, sequence: number): string {
  return `${cluster}-v${String(sequence).padStart(3, '0')}`;
}

/**
 * The next push number of a cluster: one after the latest server group's (the one created last, not the
 * highest number — numbers wrap from 999 to 000), skipping numbers still taken. `undefined` when all 1,000
 * are taken.
 */
export function nextSequence(latest: number | undefined, taken: ReadonlySet<number>): number | undefined {
  const start = latest === undefined ? 0 : (latest + 1) % sequenceModulus;
  for (let step = 0; step < sequenceModulus; step += 1) {
    const candidate = (start + step) % sequenceModulus;
    if (!taken.has(candidate)) return candidate;
  }
  return undefined;
}

/** The application a load balancer belongs to: the start of its name, as Spinnaker reads it (Frigga). */
export function loadBalancerApplication(name: string): string {
  return parseMoniker(name)?.app ?? name;
}
