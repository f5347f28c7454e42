import assert from 'node:assert/strict';
import type { ApiResponse } from './api-server.js';

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details: readonly { readonly path?: string; readonly refId?: string; readonly [key: string]: unknown }[] };
}

/** Asserts the status and the error code, and returns the error for further checks. */
export function errorOf(response: ApiResponse, status: number, code: string): ErrorBody['error'] {
  assert.equal(response.status, status, JSON.stringify(response.body));
  const body = response.body as ErrorBody;
  assert.equal(body.error.code, code);
  return body.error;
}

/** The field paths an error names. */
export function paths(response: ApiResponse): (string | undefined)[] {
  return (response.body as ErrorBody).error.details.map((detail) => detail.path);
}

/** The body of a response that must have this status. */
export function bodyOf<T>(response: ApiResponse, status: number): T {
  assert.equal(response.status, status, JSON.stringify(response.body));
  return response.body as T;
}
