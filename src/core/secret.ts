const REDACTED = '[redacted]';

/**
 * A value that must never reach a log line, an API response or an error message. Whatever serialises
 * it (JSON.stringify, template strings, util.inspect through toString) sees only `[redacted]`;
 * code that truly needs the value asks for it with `reveal()`, which is easy to grep for.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}
