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

export interface Tables {
  applications: ApplicationTable;
  pipeline_configs: PipelineConfigTable;
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
}
