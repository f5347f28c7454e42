import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Issue } from '../../src/core/pipeline/issue.js';
import type { PipelineConfig } from '../../src/core/pipeline/pipeline-config.js';
import { parsePipelineText } from '../../src/core/pipeline/parse-text.js';
import { validatePipeline, type ValidationOptions } from '../../src/core/pipeline/validate.js';

/** Fixtures stay in the source tree; tests run from dist/test/core. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/pipelines/${name}`, import.meta.url));
}

export function loadFixture(name: string): unknown {
  return parsePipelineText(readFileSync(fixturePath(name), 'utf8'), name);
}

/** A pipeline around the given stages, with only the required pipeline fields. */
export function pipelineWith(stages: unknown[], fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { application: 'checkout', name: 'Test pipeline', ...fields, stages };
}

export function expectValid(input: unknown, options?: ValidationOptions): { pipeline: PipelineConfig; warnings: readonly Issue[] } {
  const result = validatePipeline(input, options);
  if (!result.ok) assert.fail(`expected a valid pipeline, got errors:\n${result.errors.map((issue) => `${issue.path}: ${issue.message}`).join('\n')}`);
  return result;
}

export function expectErrors(input: unknown, options?: ValidationOptions): { errors: readonly Issue[]; warnings: readonly Issue[] } {
  const result = validatePipeline(input, options);
  if (result.ok) assert.fail('expected validation errors, but the pipeline is valid');
  return result;
}

/** The three things every issue must name, for compact assertions. */
export function where(issues: readonly Issue[]): [string | undefined, string, string][] {
  return issues.map((issue) => [issue.refId, issue.path, issue.expected]);
}
