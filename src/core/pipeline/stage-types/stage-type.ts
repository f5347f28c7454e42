import type { z } from 'zod';
import type { PathSegment } from '../issue.js';

/**
 * Something a stage (or trigger) points at that lives outside the pipeline. The validator asks the
 * installation whether it exists; unknown ones are warnings, or errors in strict mode.
 * `path` is relative to the stage (or trigger) that holds the reference.
 */
export type ExternalReference =
  | { readonly kind: 'account'; readonly name: string; readonly path: readonly PathSegment[] }
  | { readonly kind: 'application'; readonly name: string; readonly path: readonly PathSegment[] }
  | {
      readonly kind: 'pipeline';
      readonly application: string;
      readonly id: string;
      readonly path: readonly PathSegment[];
    };

/**
 * One stage type's fields, shared by save-time validation and the engine. `schema` is a loose zod object of
 * the type's own fields (unknown keys pass through, and the validator warns about them). The engine
 * evaluates the stage's expressions and parses the result with it (its output is the stage's input); the
 * validator parses the fields as written and overlooks problems in values that are expressions.
 */
export interface StageTypeDefinition {
  readonly schema: z.ZodObject;
  /**
   * Fields the stage evaluates itself, one expression at a time, instead of the engine at stage start. The
   * schema sees them as written at run time, so the validator does not overlook their expressions.
   */
  readonly deferredExpressionKeys?: readonly string[];
  /** Things outside the pipeline the stage points at; `context` is the fields as written, so read it defensively. */
  readonly references?: (context: Readonly<Record<string, unknown>>) => readonly ExternalReference[];
}

/** Stage types by `type` name. Later modules extend it at composition time: `{ ...builtInStageTypes, deploy }`. */
export type StageTypeRegistry = Readonly<Record<string, StageTypeDefinition>>;

/** A stage type from its schema, with the optional parts only when given. */
export function defineStageType<S extends z.ZodObject>(
  schema: S,
  options: Omit<StageTypeDefinition, 'schema'> = {},
): StageTypeDefinition & { readonly schema: S } {
  return { schema, ...options };
}
