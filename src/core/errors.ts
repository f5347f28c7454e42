/**
 * The one registry of Gennaker error codes. Every error a user can see carries one of these codes;
 * docs/errors.md documents each (a test keeps the two in step). Codes are never reused once retired.
 *
 * `kind` says what sort of failure it is; `httpStatusByKind` below is the one place kinds become HTTP
 * status codes (the API and the local-cloud daemon both answer with it).
 */
export type ErrorKind =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unavailable'
  | 'internal';

export const httpStatusByKind: Readonly<Record<ErrorKind, number>> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

interface ErrorDefinition {
  readonly kind: ErrorKind;
  readonly title: string;
}

export const errorRegistry = {
  GNK_E_CONFIG_INVALID: { kind: 'invalid_input', title: 'Configuration value is invalid' },
  GNK_E_CONFIG_FILE_UNREADABLE: { kind: 'invalid_input', title: 'Configuration file cannot be read or parsed' },
  GNK_E_STORE_UNAVAILABLE: { kind: 'unavailable', title: 'The store cannot be reached' },
  GNK_E_STORE_SCHEMA_TOO_NEW: {
    kind: 'unavailable',
    title: 'The database was migrated by a newer Gennaker',
  },
  GNK_E_STORE_MIGRATION_FAILED: { kind: 'internal', title: 'A schema migration failed' },
  GNK_E_PIPELINE_INVALID: { kind: 'invalid_input', title: 'The pipeline does not pass validation' },
  GNK_E_PIPELINE_UNREADABLE: { kind: 'invalid_input', title: 'Pipeline text cannot be read as JSON or YAML' },
  GNK_E_VALIDATION: { kind: 'invalid_input', title: 'Input does not match the expected schema' },
  GNK_E_NOT_FOUND: { kind: 'not_found', title: 'The resource does not exist' },
  GNK_E_CONFLICT: { kind: 'conflict', title: 'The resource changed since it was read' },
  GNK_E_ALREADY_EXISTS: { kind: 'conflict', title: 'A resource with that name already exists' },
  GNK_E_UNKNOWN_STAGE_TYPE: { kind: 'invalid_input', title: 'No stage type of that name is installed' },
  GNK_E_STAGE_INPUT_INVALID: { kind: 'invalid_input', title: "A stage's evaluated configuration is invalid" },
  GNK_E_EXPRESSION_FAILED: { kind: 'invalid_input', title: 'An expression could not be evaluated' },
  GNK_E_STAGE_TIMEOUT: { kind: 'conflict', title: 'A stage ran longer than its timeout' },
  GNK_E_TASK_TIMEOUT: { kind: 'conflict', title: 'A task ran longer than its timeout' },
  GNK_E_TASK_FAILED: { kind: 'conflict', title: 'A task failed' },
  GNK_E_FROZEN: { kind: 'conflict', title: 'A freeze forbids changing infrastructure now' },
  GNK_E_OPERATION_REFUSED: { kind: 'conflict', title: 'The operation does not apply in the current state' },
  GNK_E_QUARANTINED: { kind: 'conflict', title: 'The artifact version is quarantined for the application' },
  GNK_E_SERVER_GROUP_UNHEALTHY: { kind: 'conflict', title: 'A new server group did not get its instances Up' },
  GNK_E_PROVIDER_UNAVAILABLE: { kind: 'unavailable', title: 'A cloud provider cannot be reached' },
  GNK_E_PROVIDER_RESPONSE_INVALID: { kind: 'internal', title: 'A cloud provider answered outside its protocol' },
  GNK_E_ARTIFACT_UNAVAILABLE: { kind: 'invalid_input', title: "An artifact's location cannot be used" },
  GNK_E_NO_HEALTHY_BACKEND: { kind: 'unavailable', title: 'A load balancer has no healthy instance to send a request to' },
  GNK_E_LOCALCLOUD_UNAVAILABLE: { kind: 'unavailable', title: 'The local-cloud daemon did not start or does not answer' },
  GNK_E_UNAUTHENTICATED: { kind: 'unauthenticated', title: 'The request carries no valid credentials' },
  GNK_E_FORBIDDEN: { kind: 'forbidden', title: 'The caller lacks the permission the request needs' },
  GNK_E_AUDIT_CHAIN_BROKEN: { kind: 'conflict', title: 'The audit trail does not verify: an event was changed, removed, added or moved' },
  GNK_E_INTERNAL: { kind: 'internal', title: 'Unexpected internal error' },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof errorRegistry;

/** Where in the input the problem is, and what was expected there. */
export interface ErrorDetail {
  /** JSON path or config key, e.g. `stages[2].waitTime` or `server.port`. */
  readonly path?: string;
  readonly expected?: string;
  /** Where the offending value came from (a file, an environment variable, a flag). */
  readonly source?: string;
  readonly [extra: string]: unknown;
}

/**
 * An error with a registered code. Thrown across the core and the shell; serialisable as data via
 * `toJSON` so it can be stored (stage failures) and sent (API error bodies).
 */
export class GennakerError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly details: readonly ErrorDetail[];

  constructor(code: ErrorCode, message: string, details: readonly ErrorDetail[] = [], options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = 'GennakerError';
    this.code = code;
    this.kind = errorRegistry[code].kind;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details: readonly ErrorDetail[] } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isGennakerError(value: unknown): value is GennakerError {
  return value instanceof GennakerError;
}
