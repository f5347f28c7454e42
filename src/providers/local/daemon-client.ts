import { z } from 'zod';
import { errorRegistry, GennakerError, type ErrorCode } from '../../core/errors.js';

const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.array(z.record(z.string(), z.unknown())).optional() }),
});

const requestTimeoutMs = 30_000;

export interface DaemonResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * JSON over HTTP to the local-cloud daemon. Transport failures become `GNK_E_PROVIDER_UNAVAILABLE`; the
 * daemon's own coded errors keep their code; bodies are returned unparsed for the caller's schema.
 */
export class DaemonClient {
  constructor(readonly baseUrl: string) {}

  async request(method: 'GET' | 'POST', path: string, body?: unknown, okStatuses: readonly number[] = []): Promise<DaemonResponse> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        // A hung daemon must not hang the control plane (a reconcile, a stop).
        signal: AbortSignal.timeout(requestTimeoutMs),
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
    } catch (error) {
      throw new GennakerError('GNK_E_PROVIDER_UNAVAILABLE', `the local cloud at ${this.baseUrl} cannot be reached: ${causeOf(error)}`, [], {
        cause: error,
      });
    }
    const text = await response.text();
    const parsed = text === '' ? undefined : parseJson(text);
    if (response.ok || okStatuses.includes(response.status)) return { status: response.status, body: parsed };
    const coded = errorBodySchema.safeParse(parsed);
    if (coded.success) {
      const code = coded.data.error.code in errorRegistry ? (coded.data.error.code as ErrorCode) : 'GNK_E_PROVIDER_RESPONSE_INVALID';
      const message = coded.data.error.message.replace(/^GNK_E_[A-Z0-9_]+: /, '');
      throw new GennakerError(code, message, coded.data.error.details ?? []);
    }
    throw new GennakerError('GNK_E_PROVIDER_RESPONSE_INVALID', `${method} ${path} answered ${response.status} without a coded error: ${text.slice(0, 200)}`);
  }

  /** Parses a body with the protocol's schema; a mismatch is the daemon's fault, named by path. */
  parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const where = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new GennakerError('GNK_E_PROVIDER_RESPONSE_INVALID', `the local cloud answered ${what} that does not match the protocol (${where})`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function causeOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
