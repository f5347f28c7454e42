import { GennakerError } from '../core/errors.js';
import type { StageDefinition } from './stage-contract.js';

/** The installed stage types, by `type`. Built once at start from the definitions the app passes in. */
export class StageRegistry {
  readonly #definitions = new Map<string, StageDefinition<unknown>>();

  constructor(definitions: readonly StageDefinition<unknown>[]) {
    for (const definition of definitions) {
      if (this.#definitions.has(definition.type)) {
        throw new GennakerError('GNK_E_INTERNAL', `stage type ${definition.type} is defined twice`);
      }
      this.#definitions.set(definition.type, definition);
    }
  }

  find(type: string): StageDefinition<unknown> | undefined {
    return this.#definitions.get(type);
  }

  types(): string[] {
    return [...this.#definitions.keys()].sort();
  }
}
