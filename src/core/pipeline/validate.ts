import { dagIssues, type DagNode } from './dag.js';
import { closestMatch } from './did-you-mean.js';
import { expectedText, issueAt, issuesFromZod, unexpectedValue, type Issue } from './issue.js';
import type { PipelineConfig, StageConfig } from './pipeline-config.js';
import { modelledPipelineFieldNames, pipelineFieldsSchema, recognisedPipelineExtras } from './pipeline-fields.js';
import { unknownReferenceIssues, type LocatedReference, type ReferenceCheckers } from './references.js';
import { validateStage } from './stage.js';
import { refIdLike } from './stage-envelope.js';
import { builtInStageTypes } from './stage-types/built-in.js';
import type { ExternalReference, StageTypeRegistry } from './stage-types/stage-type.js';
import { isExpression } from './value-or-expression.js';

export interface ValidationOptions {
  /** Make references this installation does not know errors instead of warnings. */
  readonly strict?: boolean;
  readonly references?: ReferenceCheckers;
  /** The stage types to accept; defaults to the built-in ones. */
  readonly stageTypes?: StageTypeRegistry;
}

export type PipelineValidation =
  | { readonly ok: true; readonly pipeline: PipelineConfig; readonly warnings: readonly Issue[] }
  | { readonly ok: false; readonly errors: readonly Issue[]; readonly warnings: readonly Issue[] };

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Exports carry `"field": null` for unset fields; Orca reads those as absent, and so do we. */
function withoutNulls(record: Plain): Plain {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null));
}

interface Found {
  readonly errors: Issue[];
  readonly warnings: Issue[];
  readonly references: LocatedReference[];
}

function pipelineKeyWarnings(raw: Plain): Issue[] {
  const known = [...modelledPipelineFieldNames, ...recognisedPipelineExtras];
  return Object.keys(raw)
    .filter((key) => !modelledPipelineFieldNames.has(key) && !recognisedPipelineExtras.has(key))
    .map((key) => {
      const suggestion = closestMatch(key, known);
      const hint = suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : '';
      return issueAt({ at: [] }, [key], 'a pipeline field', `unknown pipeline field ${JSON.stringify(key)}${hint} (kept as given, not used)`);
    });
}

function pipelineLevelIssues(raw: Plain, found: Found): void {
  if (raw['type'] === 'templatedPipeline') {
    found.errors.push(
      unexpectedValue({ at: [] }, ['type'], 'a plain pipeline (templated pipelines are not supported; export the rendered pipeline)', raw['type']),
    );
  }
  const evaluator = raw['spelEvaluator'];
  if (evaluator === 'v2' || evaluator === 'v3') {
    found.warnings.push(
      issueAt(
        { at: [] },
        ['spelEvaluator'],
        '"v4"',
        `Gennaker evaluates expressions when each stage starts, as Spinnaker's v4 evaluator does; a pipeline written for ${evaluator} may see different values`,
      ),
    );
  }
  const parameters = Array.isArray(raw['parameterConfig']) ? raw['parameterConfig'] : [];
  const seen = new Set<unknown>();
  parameters.forEach((parameter, index) => {
    const name = isPlainObject(parameter) ? parameter['name'] : undefined;
    if (typeof name !== 'string' || name === '') return;
    if (seen.has(name)) {
      found.errors.push(unexpectedValue({ at: ['parameterConfig', index] }, ['name'], 'a parameter name no other parameter uses', name));
    }
    seen.add(name);
  });
}

function triggerReferences(trigger: Plain): ExternalReference[] {
  const literal = (value: unknown): value is string => typeof value === 'string' && value !== '' && !isExpression(value);
  const { type, application, pipeline, account } = trigger;
  if (type === 'pipeline' && literal(application)) {
    const applicationReference: ExternalReference = { kind: 'application', name: application, path: ['application'] };
    if (!literal(pipeline)) return [applicationReference];
    return [applicationReference, { kind: 'pipeline', application, id: pipeline, path: ['pipeline'] }];
  }
  if (literal(account)) return [{ kind: 'account', name: account, path: ['account'] }];
  return [];
}

function triggerIssues(raw: Plain, found: Found): void {
  const triggers = Array.isArray(raw['triggers']) ? raw['triggers'] : [];
  triggers.forEach((trigger, index) => {
    if (!isPlainObject(trigger)) return;
    const location = { at: ['triggers', index] };
    if (trigger['enabled'] === undefined || trigger['enabled'] === null) {
      found.warnings.push(
        issueAt(location, ['enabled'], 'true or false', 'no enabled field: Spinnaker treats such a trigger as disabled, and so does Gennaker; write enabled: true to use it'),
      );
    }
    found.references.push(...triggerReferences(trigger).map((reference) => ({ location, reference })));
  });
}

function refIdOf(value: unknown): string | undefined {
  const parsed = refIdLike.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The requisites the graph checks can use: the well-formed ones (malformed ones are reported elsewhere). */
function requisitesOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((requisite) => refIdOf(requisite) ?? []);
}

/**
 * Stages in graph format (every stage has a refId) or linear format (none has; they run in array order,
 * so stage N gets refId "N" and waits for stage N-1). Some with and some without is an error.
 */
function stageIssues(value: unknown, stageTypes: StageTypeRegistry, found: Found): StageConfig[] {
  if (!Array.isArray(value) || value.length === 0) {
    found.errors.push(unexpectedValue({ at: [] }, ['stages'], 'a list of at least one stage', value));
    return [];
  }
  const stages = value.map((stage) => (isPlainObject(stage) ? withoutNulls(stage) : undefined));
  const linear = stages.every((stage) => stage?.['refId'] === undefined);
  const configs: StageConfig[] = [];
  const nodes: DagNode[] = [];
  stages.forEach((raw, index) => {
    if (raw === undefined) {
      found.errors.push(unexpectedValue({ at: ['stages', index] }, [], 'a stage object', value[index]));
      return;
    }
    if (!linear && raw['refId'] === undefined) {
      found.errors.push(
        issueAt(
          { at: ['stages', index] },
          ['refId'],
          'a refId, because other stages have one (give every stage a refId, or none for linear order)',
          `the stage at index ${index} has no refId, but other stages have one: give every stage a refId, or none for linear order`,
        ),
      );
    }
    const refId = linear ? String(index + 1) : refIdOf(raw['refId']);
    const assignedRequisites = linear ? (index === 0 ? [] : [String(index)]) : undefined;
    const result = validateStage({ index, raw, ...(refId !== undefined && { refId }), ...(assignedRequisites && { assignedRequisites }) }, stageTypes);
    found.errors.push(...result.errors);
    found.warnings.push(...result.warnings);
    found.references.push(...result.references);
    if (result.stage) configs.push(result.stage);
    if (!linear && refId !== undefined) nodes.push({ index, refId, requisiteStageRefIds: requisitesOf(raw['requisiteStageRefIds']) });
  });
  if (!linear) found.errors.push(...dagIssues(nodes));
  return configs;
}

/**
 * Checks a pipeline written in Spinnaker's pipeline JSON (or the same fields in YAML) and returns it
 * normalised for the engine. Every error is collected, not just the first; each names the stage refId
 * (when in a stage), the JSON path and what was expected there. References to things outside the
 * pipeline that this installation does not know are warnings, or errors when `strict`.
 */
export function validatePipeline(input: unknown, options: ValidationOptions = {}): PipelineValidation {
  if (!isPlainObject(input)) {
    const issue = unexpectedValue({ at: [] }, [], 'a pipeline: an object with application, name and stages', input);
    return { ok: false, errors: [issue], warnings: [] };
  }
  const raw = withoutNulls(input);
  const found: Found = { errors: [], warnings: [], references: [] };
  const fields = pipelineFieldsSchema.safeParse(raw, { error: expectedText });
  if (!fields.success) found.errors.push(...issuesFromZod(fields.error, raw, { at: [] }));
  pipelineLevelIssues(raw, found);
  found.warnings.push(...pipelineKeyWarnings(raw));
  triggerIssues(raw, found);
  const stages = stageIssues(raw['stages'], options.stageTypes ?? builtInStageTypes, found);

  const referenceIssues = unknownReferenceIssues(found.references, options.references ?? {});
  (options.strict ? found.errors : found.warnings).push(...referenceIssues);

  if (found.errors.length > 0 || !fields.success) return { ok: false, errors: found.errors, warnings: found.warnings };
  const data = fields.data;
  const extras = Object.fromEntries(Object.entries(raw).filter(([key]) => !modelledPipelineFieldNames.has(key)));
  const pipeline: PipelineConfig = {
    ...(data.id !== undefined && { id: data.id }),
    application: data.application,
    name: data.name,
    stages,
    parameterConfig: data.parameterConfig,
    triggers: data.triggers,
    notifications: data.notifications,
    limitConcurrent: data.limitConcurrent,
    keepWaitingPipelines: data.keepWaitingPipelines,
    maxConcurrentExecutions: data.maxConcurrentExecutions,
    disabled: data.disabled,
    ...(data.spelEvaluator !== undefined && { spelEvaluator: data.spelEvaluator }),
    extras,
  };
  return { ok: true, pipeline, warnings: found.warnings };
}

