import { closestMatch } from './did-you-mean.js';
import { expectedText, issueAt, issuesFromZod, unexpectedValue, type Issue, type IssueLocation } from './issue.js';
import { issuesBeyondExpressions } from './expression-issues.js';
import type { StageConfig } from './pipeline-config.js';
import type { LocatedReference } from './references.js';
import { sharedStageFieldNames, sharedStageFieldsSchema } from './shared-stage-fields.js';
import { onFailureFrom, stageEnvelopeFieldNames, stageEnvelopeSchema } from './stage-envelope.js';
import type { StageTypeRegistry } from './stage-types/stage-type.js';

export interface StageInput {
  readonly index: number;
  /** The stage object, with null-valued keys already removed. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The stage's refId as the graph sees it: its own, or the one assigned in linear format. */
  readonly refId?: string;
  /** Set for linear-format pipelines: the stage waits for the one before it. */
  readonly assignedRequisites?: readonly string[];
}

export interface StageResult {
  readonly stage?: StageConfig;
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
  readonly references: readonly LocatedReference[];
}

function pick(raw: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([key]) => keys.includes(key)));
}

function omit(raw: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([key]) => !keys.includes(key)));
}

function unknownFieldWarning(location: IssueLocation, key: string, type: string, known: readonly string[]): Issue {
  const suggestion = closestMatch(key, known);
  const hint = suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : '';
  return issueAt(
    location,
    [key],
    `a field of a ${type} stage`,
    `unknown field ${JSON.stringify(key)} for a ${type} stage${hint} (kept as given, not used)`,
  );
}

/**
 * Checks one stage: the fields every stage has, its type, and that type's own fields. Returns the
 * normalised stage only when it has no errors; its context keeps the type's own fields as written.
 */
export function validateStage({ index, raw, refId, assignedRequisites }: StageInput, stageTypes: StageTypeRegistry): StageResult {
  const location: IssueLocation = refId === undefined ? { at: ['stages', index] } : { refId, at: ['stages', index] };
  const errors: Issue[] = [];
  const warnings: Issue[] = [];

  const envelope = stageEnvelopeSchema.safeParse(raw, { error: expectedText });
  if (!envelope.success) errors.push(...issuesFromZod(envelope.error, raw, location));
  const written = raw['requisiteStageRefIds'];
  const assignedButWritten = assignedRequisites !== undefined && Array.isArray(written) && written.length > 0;
  if (assignedButWritten) {
    const expected = 'no requisiteStageRefIds in a pipeline without refIds (linear format runs stages in array order)';
    errors.push(unexpectedValue(location, ['requisiteStageRefIds'], expected, written));
  }

  const type = typeof raw['type'] === 'string' ? raw['type'] : undefined;
  const definition = type !== undefined && Object.hasOwn(stageTypes, type) ? stageTypes[type] : undefined;
  if (type === undefined || !definition) {
    const known = Object.keys(stageTypes);
    const suggestion = type === undefined ? undefined : closestMatch(type, known);
    const expected = `a stage type: one of ${known.join(', ')}`;
    const issue = unexpectedValue(location, ['type'], expected, raw['type']);
    errors.push(suggestion ? { ...issue, message: `${issue.message}; did you mean ${JSON.stringify(suggestion)}?` } : issue);
    return { errors, warnings, references: [] };
  }

  const shared = sharedStageFieldsSchema.safeParse(pick(raw, sharedStageFieldNames), { error: expectedText });
  if (!shared.success) errors.push(...issuesFromZod(shared.error, raw, location));

  // The engine parses the type's own fields with the same schema once their expressions are evaluated.
  const ownFields = omit(raw, [...stageEnvelopeFieldNames, ...sharedStageFieldNames]);
  const typed = definition.schema.safeParse(ownFields, { error: expectedText });
  const typeIssues = typed.success ? [] : issuesBeyondExpressions(typed.error.issues, ownFields, definition.deferredExpressionKeys ?? []);
  errors.push(...issuesFromZod({ issues: typeIssues }, ownFields, location));

  const typeFieldNames = Object.keys(definition.schema.shape);
  const known = [...stageEnvelopeFieldNames, ...sharedStageFieldNames, ...typeFieldNames];
  for (const key of Object.keys(ownFields)) {
    if (!typeFieldNames.includes(key)) warnings.push(unknownFieldWarning(location, key, type, known));
  }

  // A reference is worth reporting as soon as the type's own fields parse, whatever else is wrong.
  const references = typeIssues.length === 0
    ? (definition.references?.(ownFields) ?? []).map((reference) => ({ location, reference }))
    : [];
  if (!envelope.success || !shared.success || typeIssues.length > 0 || assignedButWritten || refId === undefined) {
    return { errors, warnings, references };
  }
  // As written: defaults and conversions apply when the engine parses the evaluated fields.
  const context = { ...ownFields, ...pick(shared.data, sharedStageFieldNames) };
  const fields = envelope.data;
  const stage: StageConfig = {
    refId,
    requisiteStageRefIds: assignedRequisites ?? fields.requisiteStageRefIds,
    type,
    name: fields.name ?? type,
    onFailure: onFailureFrom(fields),
    ...(fields.stageEnabled && { stageEnabled: fields.stageEnabled.expression }),
    ...(fields.stageTimeoutMs !== undefined && { stageTimeoutMs: fields.stageTimeoutMs }),
    restrictExecutionDuringTimeWindow: fields.restrictExecutionDuringTimeWindow,
    ...(fields.restrictedExecutionWindow && { restrictedExecutionWindow: fields.restrictedExecutionWindow }),
    ...(fields.skipWindowText !== undefined && { skipWindowText: fields.skipWindowText }),
    ...(fields.failOnFailedExpressions !== undefined && { failOnFailedExpressions: fields.failOnFailedExpressions }),
    ...(fields.comments !== undefined && { comments: fields.comments }),
    context,
  };
  return { stage, errors, warnings, references };
}
