import { GennakerError } from '../errors.js';
import type { Issue } from './issue.js';

/** The error to throw (or serialise) when a pipeline fails validation: one detail per issue. */
export function invalidPipelineError(subject: string, errors: readonly Issue[]): GennakerError {
  const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
  return new GennakerError(
    'GNK_E_PIPELINE_INVALID',
    `${subject} is not a valid pipeline (${count})`,
    errors.map(({ refId, path, expected, message }) => ({ ...(refId !== undefined && { refId }), path, expected, message })),
  );
}
