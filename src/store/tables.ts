/**
 * Row shapes as the database holds them. Both engines store JSON as text and times as epoch
 * milliseconds in BIGINT columns, so one query path serves SQLite and PostgreSQL alike.
 */
export interface ApplicationTable {
  name: string;
  /** JSON object: owner, email, description and the rest of the application record. */
  attributes: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface PipelineConfigTable {
  id: string;
  application: string;
  name: string;
  /** JSON: the validated pipeline as saved. */
  body: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface PipelineConfigRevisionTable {
  pipeline_config_id: string;
  /** The pipeline's version this save produced. */
  revision: number;
  /** JSON: the pipeline as its author wrote it (what the API shows, diffs and restores). */
  body: string;
  author: string;
  created_at: number;
}

export interface ExecutionTable {
  id: string;
  type: string;
  application: string;
  pipeline_config_id: string | null;
  status: string;
  build_time: number;
  end_time: number | null;
  version: number;
  /** JSON: the whole Execution (the columns above repeat the queryable parts). */
  body: string;
}

export interface StageTable {
  execution_id: string;
  id: string;
  /** JSON: the whole Stage with its tasks. */
  body: string;
}

export interface QueueMessageTable {
  id: string;
  execution_id: string;
  /** JSON: the MessageBody (ids only). */
  body: string;
  deliver_at: number;
  /** The engine instance that may deliver this message until lease_until; others wait for expiry. */
  lease_owner: string | null;
  /** 0 when nobody holds it. */
  lease_until: number;
  attempts: number;
}

export interface FreezeTable {
  id: string;
  /** JSON: the Freeze (scope, reason, who, from, until, wait or fail). */
  body: string;
  lifted_at: number | null;
  lifted_by: string | null;
}

export interface QuarantinedVersionTable {
  application: string;
  artifact: string;
  version: string;
  reason: string;
  quarantined_by: string;
  quarantined_at: number;
}

export interface InventoryResourceTable {
  /** `serverGroup` or `loadBalancer`. */
  kind: string;
  account: string;
  region: string;
  name: string;
  /** JSON: the resource as its provider last described it. */
  body: string;
  updated_at: number;
}

export interface InventoryCursorTable {
  /** The provider's name in the inventory (one change stream each). */
  provider: string;
  /** The last change applied from that stream. */
  seq: number;
}

export interface EffectClaimTable {
  key: string;
  owner: string;
  claimed_at: number;
}

export interface AuditEventTable {
  /** Position in the chain, 1, 2, 3 … without gaps; assigned by the appender as head + 1. */
  seq: number;
  time: number;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  application: string | null;
  /** JSON object: before/after or a sentence, secrets redacted. */
  summary: string;
  execution_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditSinkCursorTable {
  sink: string;
  /** The last event delivered to the sink. */
  seq: number;
}

export interface UserTable {
  name: string;
  /** `user` or `service` (a service account: no password, never logs in). */
  kind: string;
  /** JSON array of role names. */
  roles: string;
  /** `scrypt$N$r$p$salt$hash` (base64url), null for service accounts. */
  password_hash: string | null;
  created_at: number;
  updated_at: number;
}

export interface ApiTokenTable {
  id: string;
  owner: string;
  name: string;
  /** Hex SHA-256 of the token; the token itself is shown once and never stored. */
  token_sha256: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface SessionTable {
  /** Hex SHA-256 of the session id the cookie carries. */
  id_sha256: string;
  user_name: string;
  created_at: number;
  expires_at: number;
}

export interface Tables {
  applications: ApplicationTable;
  pipeline_configs: PipelineConfigTable;
  pipeline_config_revisions: PipelineConfigRevisionTable;
  executions: ExecutionTable;
  stages: StageTable;
  queue_messages: QueueMessageTable;
  freezes: FreezeTable;
  quarantined_versions: QuarantinedVersionTable;
  effect_claims: EffectClaimTable;
  inventory_resources: InventoryResourceTable;
  inventory_cursors: InventoryCursorTable;
  audit_events: AuditEventTable;
  audit_sink_cursors: AuditSinkCursorTable;
  users: UserTable;
  api_tokens: ApiTokenTable;
  sessions: SessionTable;
}
