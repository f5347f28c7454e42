export interface JobOptions {
  /** How long a job directory may lack its pid file before the start counts as lost. */
  readonly startGraceMs?: number;
  /** Between SIGTERM and SIGKILL when a job is stopped. */
  readonly killGraceMs?: number;
}

export const defaultJobOptions: Required<JobOptions> = {
  startGraceMs: 30_000,
  killGraceMs: 10_000,
};
