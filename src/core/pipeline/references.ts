import { GennakerError } from '../errors.js';
import { issueAt, type Issue, type IssueLocation } from './issue.js';
import type { ExternalReference } from './stage-types/stage-type.js';

/**
 * What this installation knows, asked by the validator. A question with no answer function means the
 * installation knows none of those things (an offline `gennaker validate`), so every such reference is unknown.
 */
export interface ReferenceCheckers {
  accountExists?(name: string): boolean;
  applicationExists?(name: string): boolean;
  pipelineExists?(application: string, id: string): boolean;
}

export interface LocatedReference {
  readonly location: IssueLocation;
  readonly reference: ExternalReference;
}

function unknownReference(reference: ExternalReference, checkers: ReferenceCheckers): { expected: string; message: string } | undefined {
  switch (reference.kind) {
    case 'account':
      return checkers.accountExists?.(reference.name)
        ? undefined
        : { expected: 'an account this installation knows', message: `account ${JSON.stringify(reference.name)} is not known to this installation` };
    case 'application':
      return checkers.applicationExists?.(reference.name)
        ? undefined
        : { expected: 'an application this installation knows', message: `application ${JSON.stringify(reference.name)} is not known to this installation` };
    case 'pipeline':
      return checkers.pipelineExists?.(reference.application, reference.id)
        ? undefined
        : {
            expected: `the id of a pipeline of application ${JSON.stringify(reference.application)} this installation knows`,
            message: `pipeline ${JSON.stringify(reference.id)} of application ${JSON.stringify(reference.application)} is not known to this installation`,
          };
    default: {
      const unhandled: never = reference;
      throw new GennakerError('GNK_E_INTERNAL', `unhandled reference kind ${JSON.stringify(unhandled)}`);
    }
  }
}

/** One issue per reference the installation does not know; the caller decides if they are warnings or errors. */
export function unknownReferenceIssues(references: readonly LocatedReference[], checkers: ReferenceCheckers): Issue[] {
  return references.flatMap(({ location, reference }) => {
    const unknown = unknownReference(reference, checkers);
    return unknown ? [issueAt(location, reference.path, unknown.expected, unknown.message)] : [];
  });
}
