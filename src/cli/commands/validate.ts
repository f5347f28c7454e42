import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { GennakerError, isGennakerError } from '../../core/errors.js';
import { invalidPipelineError } from '../../core/pipeline/invalid-pipeline-error.js';
import { formatIssue } from '../../core/pipeline/issue.js';
import type { PipelineConfig } from '../../core/pipeline/pipeline-config.js';
import { parsePipelineText } from '../../core/pipeline/parse-text.js';
import { validatePipeline } from '../../core/pipeline/validate.js';

interface ValidateFlags {
  readonly strict?: boolean;
  readonly json?: boolean;
}

function readPipelineFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GennakerError('GNK_E_PIPELINE_UNREADABLE', `${file}: ${reason}`, [{ source: file, expected: 'a readable pipeline file' }], {
      cause: error,
    });
  }
}

/** `checkout / "Deploy to prod"`, from whatever the input has, valid or not. */
function subjectOf(input: unknown): string {
  const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const application = typeof record['application'] === 'string' ? record['application'] : '(no application)';
  const name = typeof record['name'] === 'string' ? JSON.stringify(record['name']) : '(no name)';
  return `${application} / ${name}`;
}

function counted(count: number, noun: string): string {
  if (count === 0) return `no ${noun}s`;
  return count === 1 ? `1 ${noun}` : `${count} ${noun}s`;
}

function summary(pipeline: PipelineConfig): string {
  const types = [...new Set(pipeline.stages.map((stage) => stage.type))].join(', ');
  return `${counted(pipeline.stages.length, 'stage')} (${types})`;
}

function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function validateCommand(): Command {
  return new Command('validate')
    .description('check a pipeline file (Spinnaker pipeline JSON, or the same fields in YAML) and list every problem')
    .argument('<file>', 'pipeline file: .json, .yaml or .yml')
    .addOption(
      new Option('--strict', 'treat references this installation does not know (applications, pipelines, accounts) as errors'),
    )
    .addOption(new Option('--json', 'print the result as JSON on stdout'))
    .action((file: string, flags: ValidateFlags) => {
      let input: unknown;
      try {
        input = parsePipelineText(readPipelineFile(file), file);
      } catch (error) {
        if (!flags.json || !isGennakerError(error)) throw error;
        writeJson({ ok: false, error: error.toJSON() });
        process.exitCode = 1;
        return;
      }
      const result = validatePipeline(input, { strict: flags.strict === true });
      if (flags.json) {
        writeJson(result.ok ? result : { ...result, error: invalidPipelineError(subjectOf(input), result.errors).toJSON() });
        if (!result.ok) process.exitCode = 1;
        return;
      }
      if (result.ok) {
        const { pipeline, warnings } = result;
        process.stdout.write(
          `valid: ${subjectOf(pipeline)} — ${summary(pipeline)}, ${counted(warnings.length, 'warning')}\n`,
        );
      } else {
        process.stderr.write(`error: ${invalidPipelineError(subjectOf(input), result.errors).message}\n`);
        for (const issue of result.errors) process.stderr.write(`  - ${formatIssue(issue)}\n`);
        process.exitCode = 1;
      }
      for (const issue of result.warnings) process.stderr.write(`warning: ${formatIssue(issue)}\n`);
    });
}
