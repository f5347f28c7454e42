import type { WebhookInput } from '../../core/pipeline/stage-types/webhook.js';

export interface HttpRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload?: unknown;
}

export interface HttpAnswer {
  readonly kind: 'answered';
  readonly statusCode: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON when the body is JSON, otherwise the text; null when empty. */
  readonly body: unknown;
  readonly bodyText: string;
}

export type HttpOutcome =
  | HttpAnswer
  /** No answer: refused, reset, name not resolved, timed out. Worth retrying. */
  | { readonly kind: 'unreachable'; readonly reason: string }
  /** The engine is shutting down; the task runs again after the restart. */
  | { readonly kind: 'interrupted' };

/** Bodies are kept in the stage context; a huge one is cut so executions stay small. */
const maxStoredBodyChars = 256 * 1024;

function parseBody(text: string, contentType: string): unknown {
  if (text === '') return null;
  const trimmed = text.trimStart();
  if (contentType.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function unreachableReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.message === 'string') return typeof cause.code === 'string' && !cause.message.includes(cause.code) ? `${cause.code}: ${cause.message}` : cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** The request headers: the stage's own, the idempotency key, and a JSON content type for a payload. */
export function requestHeaders(input: Pick<WebhookInput, 'customHeaders'>, idempotencyKey: string, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.customHeaders)) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  const named = (wanted: string): boolean => Object.keys(headers).some((name) => name.toLowerCase() === wanted);
  if (hasBody && !named('content-type')) headers['Content-Type'] = 'application/json';
  for (const name of Object.keys(headers)) if (name.toLowerCase() === 'idempotency-key') delete headers[name];
  headers['Idempotency-Key'] = idempotencyKey;
  return headers;
}

export function sendsBody(method: string, payload: unknown): boolean {
  return payload !== undefined && method !== 'GET' && method !== 'HEAD';
}

/**
 * One HTTP exchange with a total time limit (connect and read together). Never throws for network
 * trouble: it reports it, so each task decides what is worth another try.
 */
export async function sendRequest(request: HttpRequest, timeoutMs: number, shutdown: AbortSignal): Promise<HttpOutcome> {
  if (shutdown.aborted) return { kind: 'interrupted' };
  const signal = AbortSignal.any([shutdown, AbortSignal.timeout(timeoutMs)]);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(sendsBody(request.method, request.payload) ? { body: JSON.stringify(request.payload) } : {}),
      signal,
    });
    const bodyText = await response.text();
    return {
      kind: 'answered',
      statusCode: response.status,
      statusText: response.statusText,
      headers: Object.fromEntries([...response.headers].filter(([name]) => name !== 'set-cookie')),
      body: parseBody(bodyText, response.headers.get('content-type') ?? ''),
      bodyText,
    };
  } catch (error) {
    if (shutdown.aborted) return { kind: 'interrupted' };
    return { kind: 'unreachable', reason: unreachableReason(error, timeoutMs) };
  }
}

/** What the stage context keeps of an answer (Spinnaker's `webhook.statusCode`, `headers`, `body`). */
export function recordedAnswer(answer: HttpAnswer): Record<string, unknown> {
  const cut = answer.bodyText.length > maxStoredBodyChars;
  return {
    statusCode: answer.statusCode,
    headers: answer.headers,
    body: cut ? answer.bodyText.slice(0, maxStoredBodyChars) : answer.body,
    ...(cut ? { bodyTruncated: true } : {}),
  };
}

/** A URL as shown in messages: without credentials or query, which may carry tokens. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url;
  }
}

/** A short excerpt of a body for a failure message. */
export function bodyExcerpt(answer: HttpAnswer): string {
  const text = answer.bodyText.trim().replace(/\s+/g, ' ');
  if (text === '') return '';
  return `: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
}
