import { isGennakerError } from '../core/errors.js';

/** Prints an error for a person at a terminal: the coded message, then one line per detail. */
export function reportError(error: unknown, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): void {
  if (!isGennakerError(error)) {
    write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return;
  }
  write(`error: ${error.message}`);
  for (const detail of error.details) {
    const where = [detail.path, detail.source && `(from ${detail.source})`].filter(Boolean).join(' ');
    const line = [where, detail.expected].filter(Boolean).join(': ');
    if (line) write(`  - ${line}`);
  }
}
