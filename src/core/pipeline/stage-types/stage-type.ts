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
 * What the validator knows about one stage type. `schema` is a loose zod object of the type's own fields
 * (unknown keys pass through, and the validator warns about them); its output is the stage's `context`.
 */
export interface StageTypeDefinition {
  readonly schema: z.ZodObject;
  readonly references?: (context: Readonly<Record<string, unknown>>) => readonly ExternalReference[];
}

/** Stage types by `type` name. Later modules extend it at composition time: `{ ...builtInStageTypes, deploy }`. */
export type StageTypeRegistry = Readonly<Record<string, StageTypeDefinition>>;

/** Ties a schema to its reference finder so the finder sees the schema's own output type. */
export function defineStageType<S extends z.ZodObject>(
  schema: S,
  references?: (context: z.output<S>) => readonly ExternalReference[],
): StageTypeDefinition {
  if (!references) return { schema };
  return { schema, references: (context) => references(context as z.output<S>) };
}
