/** An artifact version marked bad for one application; deploys of it are refused until it is released. */
export interface QuarantinedVersion {
  readonly application: string;
  readonly artifact: string;
  readonly version: string;
  readonly reason: string;
  readonly quarantinedBy: string;
  readonly quarantinedAt: number;
}

/** The refusal a deploy stage fails with, naming the version, who quarantined it and why. */
export function quarantineRefusal(entry: QuarantinedVersion): string {
  return `${entry.artifact} version ${entry.version} is quarantined for application ${entry.application} by ${entry.quarantinedBy}: ${entry.reason}; release it before deploying it`;
}
