/** What happened, as handed to the audit trail; the trail adds the sequence number, time and hashes. */
export interface AuditEventInput {
  /** The principal's name, `system` for the platform itself. */
  readonly actor: string;
  /** Dotted verb, e.g. `application.update`, `pipeline.run`, `stage.deploy`, `cloud.resize`, `auth.login`. */
  readonly action: string;
  readonly target: { readonly type: string; readonly id: string };
  /** A short account of the change: before/after values (secrets redacted) or a sentence. */
  readonly summary?: Readonly<Record<string, unknown>>;
  readonly executionId?: string;
  /** The application the event concerns; defaults to the target's id when the target is an application. */
  readonly application?: string;
  /** Set by the trail from its clock when absent. */
  readonly time?: number;
}

/** Appends events to the audit trail. Resolves once the event is durable. */
export interface AuditRecorder {
  record(event: AuditEventInput): Promise<void>;
}
