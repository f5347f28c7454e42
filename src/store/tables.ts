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

export interface Tables {
  applications: ApplicationTable;
}
